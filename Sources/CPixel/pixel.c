#include "CPixel.h"
