// GLPK (GNU Linear Programming Kit), Debian's libglpk-dev. It ships no pkg-config file, so
// the module map links it by name. Only Sources/Reframing uses it, through one owner class.
#include <glpk.h>
