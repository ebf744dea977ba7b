#ifndef CLAUSEDEX_INDEX_H
#define CLAUSEDEX_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include "clausedex/errors.h"
#include "clausedex/document.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif
#endif
