/*
 * napi_macros.h: status checking for N-API calls (node's
 * test/js-native-api/common.h pattern). Every napi_* call goes through one
 * of these; a failure throws (unless an exception is already pending) and
 * returns at once.
 */
#ifndef HUBTOK_NAPI_MACROS_H
#define HUBTOK_NAPI_MACROS_H

#include <node_api.h>

#include <stdio.h>
#include <stdlib.h>

#define HUBTOK__THROW_LAST_ERROR(env)                                        \
  do {                                                                       \
    const napi_extended_error_info *info_;                                   \
    bool pending_ = false;                                                   \
    napi_get_last_error_info((env), &info_);                                 \
    napi_is_exception_pending((env), &pending_);                             \
    if(!pending_) {                                                          \
      const char *m_ = (info_ && info_->error_message) ?                     \
                         info_->error_message : "N-API call failed";         \
      napi_throw_error((env), "HUBTOK_NAPI", m_);                            \
    }                                                                        \
  } while(0)

/* In functions returning napi_value: throw and return NULL. */
#define NAPI_CALL(env, call)                                                 \
  do {                                                                       \
    if((call) != napi_ok) {                                                  \
      HUBTOK__THROW_LAST_ERROR(env);                                         \
      return NULL;                                                           \
    }                                                                        \
  } while(0)

/* In functions returning void. */
#define NAPI_CALL_VOID(env, call)                                            \
  do {                                                                       \
    if((call) != napi_ok) {                                                  \
      HUBTOK__THROW_LAST_ERROR(env);                                         \
      return;                                                                \
    }                                                                        \
  } while(0)

/* In finalizers and other places that must not throw: abort on failure. */
#define NAPI_CALL_ABORT(call)                                                \
  do {                                                                       \
    if((call) != napi_ok) {                                                  \
      fprintf(stderr, "hubtok: fatal N-API failure at %s:%d\n", __FILE__,    \
              __LINE__);                                                     \
      abort();                                                               \
    }                                                                        \
  } while(0)

/* Argument checks: TypeError with a stable code, naming the argument. */
#define NAPI_ASSERT_ARG(env, cond, msg)                                      \
  do {                                                                       \
    if(!(cond)) {                                                            \
      napi_throw_type_error((env), "HUBTOK_EINVAL", (msg));                  \
      return NULL;                                                           \
    }                                                                        \
  } while(0)

#endif /* HUBTOK_NAPI_MACROS_H */
