#ifndef GOUJI_CLIBUV_SHIM_H
#define GOUJI_CLIBUV_SHIM_H
#include <uv.h>
#endif
