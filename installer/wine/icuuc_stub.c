/* TEST ONLY, never shipped: a stand-in for Windows' system icuuc.dll, which wine lacks.
   Qt6Core (PySide6 >= 6.10) imports ~20 ucnv_* functions from it for legacy text codecs. Every
   function here fails cleanly (no converter), so Qt falls back to its own codecs. Real Windows 10
   (1703+) and 11 ship icuuc.dll in System32. Built by installer/wine_smoke.sh with mingw-w64. */
#include <stddef.h>
#include <stdint.h>

typedef int UErrorCode;
#define U_FILE_ACCESS_ERROR 4
#define EXPORT __declspec(dllexport)

static void fail(UErrorCode *err) { if (err != NULL && *err <= 0) *err = U_FILE_ACCESS_ERROR; }

EXPORT void *ucnv_open(const char *name, UErrorCode *err) { (void)name; fail(err); return NULL; }
EXPORT void ucnv_close(void *cnv) { (void)cnv; }
EXPORT void ucnv_reset(void *cnv) { (void)cnv; }
EXPORT int8_t ucnv_getMaxCharSize(const void *cnv) { (void)cnv; return 1; }
EXPORT const char *ucnv_getName(const void *cnv, UErrorCode *err) { (void)cnv; fail(err); return NULL; }
EXPORT void ucnv_getToUCallBack(const void *c, void **a, const void **b) { (void)c; if (a) *a = NULL; if (b) *b = NULL; }
EXPORT void ucnv_getFromUCallBack(const void *c, void **a, const void **b) { (void)c; if (a) *a = NULL; if (b) *b = NULL; }
EXPORT void ucnv_setToUCallBack(void *c, void *n, const void *nc, void **o, const void **oc, UErrorCode *err)
{ (void)c; (void)n; (void)nc; if (o) *o = NULL; if (oc) *oc = NULL; fail(err); }
EXPORT void ucnv_setFromUCallBack(void *c, void *n, const void *nc, void **o, const void **oc, UErrorCode *err)
{ (void)c; (void)n; (void)nc; if (o) *o = NULL; if (oc) *oc = NULL; fail(err); }
EXPORT void ucnv_cbToUWriteUChars(void *a, const void *s, int32_t l, int32_t o, UErrorCode *err)
{ (void)a; (void)s; (void)l; (void)o; fail(err); }
EXPORT void ucnv_cbFromUWriteUChars(void *a, const void **s, const void *e, int32_t o, UErrorCode *err)
{ (void)a; (void)s; (void)e; (void)o; fail(err); }
EXPORT void ucnv_toUnicode(void *c, void **t, const void *tl, const char **s, const char *sl, int32_t *o, int8_t f, UErrorCode *err)
{ (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(err); }
EXPORT void ucnv_fromUnicode(void *c, char **t, const char *tl, const void **s, const void *sl, int32_t *o, int8_t f, UErrorCode *err)
{ (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(err); }
EXPORT int32_t ucnv_toUCountPending(const void *c, UErrorCode *err) { (void)c; fail(err); return 0; }
EXPORT int32_t ucnv_fromUCountPending(const void *c, UErrorCode *err) { (void)c; fail(err); return 0; }
EXPORT const char *ucnv_getStandardName(const char *n, const char *s, UErrorCode *err) { (void)n; (void)s; fail(err); return NULL; }
EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const void *u, int32_t l, int32_t cp, int r, UErrorCode *err)
{ (void)c; (void)a; (void)u; (void)l; (void)cp; (void)r; fail(err); }
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const char *s, int32_t l, int r, UErrorCode *err)
{ (void)c; (void)a; (void)s; (void)l; (void)r; fail(err); }
