#ifndef TIKCONV_CPIXEL_H
#define TIKCONV_CPIXEL_H
#include <stdint.h>
#include <stddef.h>
#endif
