/*
 * error.c: the error table (HUBTOK_ERRNO_MAP in hubtok.h) turned into
 * names and messages, and the helper that fills a hubtok_error.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
hubtok_err_name(hubtok_code code)
{
  switch(code) {
#define HUBTOK__NAME(name, num, msg) \
  case HUBTOK_##name:                \
    return "HUBTOK_" #name;
    HUBTOK_ERRNO_MAP(HUBTOK__NAME)
#undef HUBTOK__NAME
  default:
    return "HUBTOK_UNKNOWN";
  }
}

const char *
hubtok_strerror(hubtok_code code)
{
  switch(code) {
#define HUBTOK__MSG(name, num, msg) \
  case HUBTOK_##name:               \
    return msg;
    HUBTOK_ERRNO_MAP(HUBTOK__MSG)
#undef HUBTOK__MSG
  default:
    return "unknown error";
  }
}

void
hubtok_free(void *p)
{
  free(p);
}

const char *
hubtok_version(void)
{
  return HUBTOK_VERSION;
}

void
hubtok__clear_error(hubtok_error *err)
{
  if(!err)
    return;
  memset(err, 0, sizeof(*err));
  err->code = HUBTOK_OK;
}

hubtok_code
hubtok__set_error(hubtok_error *err, hubtok_code code, const char *fmt, ...)
{
  va_list ap;

  if(!err)
    return code;
  hubtok__clear_error(err);
  err->code = code;
  if(fmt) {
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
  }
  else {
    snprintf(err->msg, sizeof(err->msg), "%s", hubtok_strerror(code));
  }
  return code;
}
