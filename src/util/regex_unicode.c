/*
 * regex_unicode.c: rewrite Unicode-version-dependent regex escapes into
 * Unicode 16.0 classes, so patterns match as in the Oniguruma of the
 * Rust onig crate (see regex_unicode.h).
 */
#include "util/regex_unicode.h"
#include "util/buf.h"
#include "util/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct hubtok__uni_range {
  uint32_t first;
  uint32_t last;
  uint32_t gc;
} hubtok__uni_range;

enum {
  GC_Lu, GC_Ll, GC_Lt, GC_Lm, GC_Lo, GC_Mn, GC_Mc, GC_Me, GC_Nd, GC_Nl,
  GC_No, GC_Pc, GC_Pd, GC_Ps, GC_Pe, GC_Pi, GC_Pf, GC_Po, GC_Sm, GC_Sc,
  GC_Sk, GC_So, GC_Zs, GC_Zl, GC_Zp, GC_Cc, GC_Cf, GC_Co, GC_Cs
};

#include "util/unicode_props.inc"

#define B(x) ((uint64_t)1 << GC_##x)
#define SET_L (B(Lu) | B(Ll) | B(Lt) | B(Lm) | B(Lo))
#define SET_M (B(Mn) | B(Mc) | B(Me))
#define SET_N (B(Nd) | B(Nl) | B(No))
#define SET_P (B(Pc) | B(Pd) | B(Ps) | B(Pe) | B(Pi) | B(Pf) | B(Po))
#define SET_S (B(Sm) | B(Sc) | B(Sk) | B(So))
#define SET_Z (B(Zs) | B(Zl) | B(Zp))
/* flags beyond the General_Category bits */
#define WITH_ALPHA ((uint64_t)1 << 62)
#define WITH_JOIN ((uint64_t)1 << 63)
#define SET_ALPHA WITH_ALPHA
#define SET_ALNUM (WITH_ALPHA | B(Nd))
#define SET_WORD (WITH_ALPHA | SET_M | B(Nd) | B(Pc) | WITH_JOIN)

/* A set to inline: General_Category bits and flags, or one script. */
typedef struct uset {
  uint64_t bits;
  int script;        /* index into uni_script_names, or -1 */
} uset;

/* Property names as Oniguruma compares them: ASCII case-insensitive,
 * ' ', '-' and '_' ignored. */
static const struct {
  const char *name;
  uint64_t set;
} props[] = {
  { "l", SET_L }, { "letter", SET_L },
  { "lc", B(Lu) | B(Ll) | B(Lt) }, { "casedletter", B(Lu) | B(Ll) | B(Lt) },
  { "lu", B(Lu) }, { "uppercaseletter", B(Lu) },
  { "ll", B(Ll) }, { "lowercaseletter", B(Ll) },
  { "lt", B(Lt) }, { "titlecaseletter", B(Lt) },
  { "lm", B(Lm) }, { "modifierletter", B(Lm) },
  { "lo", B(Lo) }, { "otherletter", B(Lo) },
  { "m", SET_M }, { "mark", SET_M }, { "combiningmark", SET_M },
  { "mn", B(Mn) }, { "nonspacingmark", B(Mn) },
  { "mc", B(Mc) }, { "spacingmark", B(Mc) },
  { "me", B(Me) }, { "enclosingmark", B(Me) },
  { "n", SET_N }, { "number", SET_N },
  { "nd", B(Nd) }, { "decimalnumber", B(Nd) }, { "digit", B(Nd) },
  { "nl", B(Nl) }, { "letternumber", B(Nl) },
  { "no", B(No) }, { "othernumber", B(No) },
  { "p", SET_P }, { "punctuation", SET_P },
  { "pc", B(Pc) }, { "connectorpunctuation", B(Pc) },
  { "pd", B(Pd) }, { "dashpunctuation", B(Pd) },
  { "ps", B(Ps) }, { "openpunctuation", B(Ps) },
  { "pe", B(Pe) }, { "closepunctuation", B(Pe) },
  { "pi", B(Pi) }, { "initialpunctuation", B(Pi) },
  { "pf", B(Pf) }, { "finalpunctuation", B(Pf) },
  { "po", B(Po) }, { "otherpunctuation", B(Po) },
  { "s", SET_S }, { "symbol", SET_S },
  { "sm", B(Sm) }, { "mathsymbol", B(Sm) },
  { "sc", B(Sc) }, { "currencysymbol", B(Sc) },
  { "sk", B(Sk) }, { "modifiersymbol", B(Sk) },
  { "so", B(So) }, { "othersymbol", B(So) },
  { "z", SET_Z }, { "separator", SET_Z },
  { "zs", B(Zs) }, { "spaceseparator", B(Zs) },
  { "zl", B(Zl) }, { "lineseparator", B(Zl) },
  { "zp", B(Zp) }, { "paragraphseparator", B(Zp) },
  { "cc", B(Cc) }, { "control", B(Cc) },
  { "cf", B(Cf) }, { "format", B(Cf) },
  { "co", B(Co) }, { "privateuse", B(Co) },
  { "alpha", SET_ALPHA }, { "alphabetic", SET_ALPHA },
  { "alnum", SET_ALNUM },
  { "word", SET_WORD }
};

/* POSIX brackets ([:name:]) that depend on the Unicode version. */
static const struct {
  const char *name;
  uint64_t set;
} posix[] = {
  { "alpha", SET_ALPHA }, { "alnum", SET_ALNUM }, { "word", SET_WORD },
  { "digit", B(Nd) }
};

/* Normalise a property name into buf (32 bytes); 0 when too long. */
static int
norm_name(const char *s, size_t len, char *buf)
{
  size_t i, n = 0;

  for(i = 0; i < len; i++) {
    char c = s[i];
    if(c == ' ' || c == '-' || c == '_')
      continue;
    if(c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if(n + 1 >= 32)
      return 0;
    buf[n++] = c;
  }
  buf[n] = 0;
  return 1;
}

/* The set named s[0..len): 1 and *u when it is one we inline. */
static int
lookup(const char *s, size_t len, uset *u)
{
  char buf[32];
  size_t i;

  if(!norm_name(s, len, buf))
    return 0;
  u->script = -1;
  for(i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
    if(!strcmp(buf, props[i].name)) {
      u->bits = props[i].set;
      return 1;
    }
  }
  for(i = 0; i < HUBTOK__UNI_SCRIPT_NAMES_N; i++) {
    if(!strcmp(buf, uni_script_names[i])) {
      u->bits = 0;
      u->script = (int)i;
      return 1;
    }
  }
  return 0;
}

int
hubtok__uni_ln(uint32_t cp)
{
  size_t lo = 0, hi = HUBTOK__UNI_GC_N;

  while(lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if(cp < uni_gc[mid].first)
      hi = mid;
    else if(cp > uni_gc[mid].last)
      lo = mid + 1;
    else {
      uint64_t bit = (uint64_t)1 << uni_gc[mid].gc;
      if(bit & SET_L)
        return HUBTOK__UNI_L;
      if(bit & SET_N)
        return HUBTOK__UNI_N;
      return HUBTOK__UNI_OTHER;
    }
  }
  return HUBTOK__UNI_OTHER; /* unassigned */
}

static int
cmp_range(const void *a, const void *b)
{
  const hubtok__uni_range *x = a, *y = b;
  return x->first < y->first ? -1 : x->first > y->first;
}

/* Append "[" or "[^", the merged ranges of u, "]". */
static hubtok_code
emit_class(hubtok__buf *b, const uset *u, int negate)
{
  hubtok__uni_range *v;
  size_t n = 0, i, o;
  hubtok_code rc;

  v = malloc((HUBTOK__UNI_GC_N + HUBTOK__UNI_ALPHA_N + HUBTOK__UNI_SCRIPT_N +
              1) * sizeof(*v));
  if(!v)
    return HUBTOK_ENOMEM;
  for(i = 0; i < HUBTOK__UNI_GC_N; i++)
    if(u->bits & ((uint64_t)1 << uni_gc[i].gc))
      v[n++] = uni_gc[i];
  if(u->bits & WITH_ALPHA)
    for(i = 0; i < HUBTOK__UNI_ALPHA_N; i++)
      v[n++] = uni_alpha[i];
  if(u->bits & WITH_JOIN) {
    v[n].first = 0x200C;
    v[n].last = 0x200D;
    v[n++].gc = 0;
  }
  for(i = 0; u->script >= 0 && i < HUBTOK__UNI_SCRIPT_N; i++)
    if(uni_script[i].gc == (uint32_t)u->script)
      v[n++] = uni_script[i];
  qsort(v, n, sizeof(*v), cmp_range);
  /* merge overlapping and adjacent ranges */
  for(i = 1, o = 0; i < n; i++) {
    if(v[i].first <= v[o].last + 1) {
      if(v[i].last > v[o].last)
        v[o].last = v[i].last;
    }
    else
      v[++o] = v[i];
  }
  if(n)
    n = o + 1;
  rc = hubtok__buf_add(b, negate ? "[^" : "[", negate ? 2 : 1);
  for(i = 0; i < n && !rc; i++) {
    char tmp[40];
    int k;
    if(v[i].first == v[i].last)
      k = snprintf(tmp, sizeof(tmp), "\\x{%X}", (unsigned)v[i].first);
    else
      k = snprintf(tmp, sizeof(tmp), "\\x{%X}-\\x{%X}",
                   (unsigned)v[i].first, (unsigned)v[i].last);
    rc = hubtok__buf_add(b, tmp, (size_t)k);
  }
  if(!rc)
    rc = hubtok__buf_addc(b, ']');
  free(v);
  return rc;
}

/* Most nested groups tracked; deeper ones are taken as case-insensitive
 * (nothing is rewritten there). */
#define GROUPS_MAX 256

typedef struct scan {
  const char *s;
  size_t len;
  size_t i;
  hubtok__buf *b;
  int depth;                 /* open groups */
  char icase[GROUPS_MAX + 1]; /* (?i) in force, per group level */
  int cls;                   /* character class nesting */
} scan;

static int
cur_icase(const scan *sc)
{
  return sc->depth > GROUPS_MAX || sc->icase[sc->depth];
}

/* Copy n bytes at the cursor. */
static hubtok_code
copy(scan *sc, size_t n)
{
  hubtok_code rc;

  if(n > sc->len - sc->i)
    n = sc->len - sc->i;
  rc = hubtok__buf_add(sc->b, sc->s + sc->i, n);
  sc->i += n;
  return rc;
}

/* An escape at the cursor (s[i] == '\\'). Case-insensitive scopes keep
 * every escape: Oniguruma does not case-fold property classes, but it
 * would fold the inlined ranges. */
static hubtok_code
escape(scan *sc)
{
  const char *s = sc->s;
  size_t i = sc->i, len = sc->len, cl;
  char n;
  uset u;

  if(i + 1 >= len)
    return copy(sc, 1);
  n = s[i + 1];
  if(!cur_icase(sc)) {
    if((n == 'p' || n == 'P') && i + 2 < len && s[i + 2] == '{') {
      const char *name = s + i + 3;
      const char *close = memchr(name, '}', len - (i + 3));
      int negate = n == 'P';
      if(close) {
        size_t nlen = (size_t)(close - name);
        if(nlen && name[0] == '^') {
          negate = !negate;
          name++;
          nlen--;
        }
        if(lookup(name, nlen, &u)) {
          sc->i = (size_t)(close - s) + 1;
          return emit_class(sc->b, &u, negate);
        }
      }
    }
    else if(n == 'w' || n == 'W' || n == 'd' || n == 'D') {
      u.bits = n == 'w' || n == 'W' ? SET_WORD : B(Nd);
      u.script = -1;
      sc->i += 2;
      return emit_class(sc->b, &u, n == 'W' || n == 'D');
    }
  }
  /* any other escape: the backslash and the whole next char */
  cl = hubtok__utf8_len((unsigned char)n);
  if(cl == 0)
    cl = 1;
  return copy(sc, 1 + cl);
}

/* "[:name:]" or "[:^name:]" inside a class, at the cursor. */
static hubtok_code
posix_bracket(scan *sc)
{
  const char *s = sc->s + sc->i + 2;
  size_t rest = sc->len - sc->i - 2, k, i;
  int negate = 0;

  for(k = 0; k + 1 < rest && k < 40; k++) {
    if(s[k] == ':' && s[k + 1] == ']')
      break;
  }
  if(k + 1 >= rest || k >= 40 || cur_icase(sc))
    return copy(sc, 1);
  if(s[0] == '^') {
    negate = 1;
    s++;
    k--;
  }
  for(i = 0; i < sizeof(posix) / sizeof(posix[0]); i++) {
    if(strlen(posix[i].name) == k && !memcmp(s, posix[i].name, k)) {
      uset u;
      u.bits = posix[i].set;
      u.script = -1;
      sc->i += 2 + (size_t)negate + k + 2;
      return emit_class(sc->b, &u, negate);
    }
  }
  return copy(sc, 2 + (size_t)negate + k + 2);
}

/* "(" at the cursor, outside classes: track (?i) scopes. */
static hubtok_code
group_open(scan *sc)
{
  const char *s = sc->s;
  size_t i = sc->i, len = sc->len, j;
  int icase = cur_icase(sc), on = 1, flag = icase;

  if(i + 2 < len && s[i + 1] == '?') {
    if(s[i + 2] == '#') {
      /* comment: up to the first ")" */
      const char *close = memchr(s + i, ')', len - i);
      return copy(sc, close ? (size_t)(close - (s + i)) + 1 : len - i);
    }
    for(j = i + 2; j < len; j++) {
      char c = s[j];
      if(c == '-')
        on = 0;
      else if(c == 'i')
        flag = on;
      else if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        break;
    }
    if(j < len && j > i + 2 && s[j] == ')') {
      /* (?flags): for the rest of the enclosing group */
      if(sc->depth <= GROUPS_MAX)
        sc->icase[sc->depth] = (char)flag;
      return copy(sc, j - i + 1);
    }
    if(j < len && j > i + 2 && s[j] == ':')
      icase = flag;
    else
      j = i; /* another kind of group: copy "(" only */
  }
  else
    j = i;
  sc->depth++;
  if(sc->depth <= GROUPS_MAX)
    sc->icase[sc->depth] = (char)icase;
  return copy(sc, j - i + 1);
}

hubtok_code
hubtok__regex_unicode_rewrite(const char *s, size_t len, char **out,
                              size_t *out_len)
{
  hubtok__buf b;
  scan sc;
  hubtok_code rc = HUBTOK_OK;

  *out = NULL;
  *out_len = 0;
  hubtok__buf_init(&b, HUBTOK__REGEX_MAX);
  memset(&sc, 0, sizeof(sc));
  sc.s = s;
  sc.len = len;
  sc.b = &b;
  while(sc.i < len && !rc) {
    char c = s[sc.i];
    if(c == '\\')
      rc = escape(&sc);
    else if(sc.cls == 0 && c == '(')
      rc = group_open(&sc);
    else if(sc.cls == 0 && c == ')') {
      if(sc.depth > 0)
        sc.depth--;
      rc = copy(&sc, 1);
    }
    else if(c == '[') {
      if(sc.cls > 0 && sc.i + 1 < len && s[sc.i + 1] == ':') {
        rc = posix_bracket(&sc);
        continue;
      }
      sc.cls++;
      rc = copy(&sc, 1);
      /* "[^" and a "]" right after the opening are literal */
      if(!rc && sc.i < len && s[sc.i] == '^')
        rc = copy(&sc, 1);
      if(!rc && sc.i < len && s[sc.i] == ']')
        rc = copy(&sc, 1);
    }
    else if(c == ']' && sc.cls > 0) {
      sc.cls--;
      rc = copy(&sc, 1);
    }
    else {
      size_t cl = hubtok__utf8_len((unsigned char)c);
      rc = copy(&sc, cl ? cl : 1);
    }
  }
  if(!rc && !b.p)
    rc = hubtok__buf_add(&b, "", 0);
  if(rc) {
    hubtok__buf_free(&b);
    return rc;
  }
  *out = hubtok__buf_take(&b, out_len);
  return *out ? HUBTOK_OK : HUBTOK_ENOMEM;
}
