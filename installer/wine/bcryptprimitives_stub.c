/* TEST ONLY, never shipped: wine 8's bcryptprimitives.dll lacks ProcessPrng, which cryptography
   (Rust, getrandom) imports. This stand-in fills the buffer from RtlGenRandom (advapi32
   SystemFunction036). Installed into the wine prefix by installer/wine_smoke.sh only when the
   build contains cryptography. Real Windows 10/11 have ProcessPrng. */
#include <windows.h>

typedef BOOLEAN(WINAPI *gen_random_t)(PVOID, ULONG);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    static gen_random_t gen;
    if (gen == NULL) {
        HMODULE advapi = LoadLibraryW(L"advapi32.dll");
        gen = advapi ? (gen_random_t)(void (*)(void))GetProcAddress(advapi, "SystemFunction036") : NULL;
        if (gen == NULL)
            return FALSE;
    }
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!gen(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
