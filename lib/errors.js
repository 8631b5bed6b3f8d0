'use strict';
// Errors raised by the JS layer. Every error hubtok throws is a plain
// Error (or TypeError) with a stable `code` ("HUBTOK_..."); errors coming
// from C already carry one (see src/hubtok.h, HUBTOK_ERRNO_MAP).

function hubtokError(code, message, extra, Ctor = Error) {
  const err = new Ctor(message);
  err.code = code;
  if (extra) Object.assign(err, extra);
  return err;
}

function invalidArgument(message) {
  return hubtokError('HUBTOK_EINVAL', message, null, TypeError);
}

module.exports = { hubtokError, invalidArgument };
