/* BaoCao launcher: a tiny .exe that runs the embedded CPython in the same folder.

   Built twice by installer/build_windows.sh with Debian's mingw-w64:
     BaoCao.exe      -mwindows  (GUI subsystem: no console window; Start menu, desktop, .baocao files)
     baocao-cmd.exe  console    (the command line: `baocao-cmd demo`, `baocao-cmd check ID --json`, ...)

   It loads python311.dll from its own folder (so python311._pth beside it fixes sys.path and nothing
   from another Python on the PC leaks in) and calls
     Py_Main(["<this exe>", "-E", "-X", "utf8", "-m", "baocao_desktop", <own arguments...>])
   in this process, so Task Manager and the taskbar show BaoCao.exe with its icon.
   Arguments are taken from GetCommandLineW, so Vietnamese file names arrive intact. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <shellapi.h>
#include <stdlib.h>
#include <wchar.h>

#ifndef PYTHON_DLL
#define PYTHON_DLL L"python311.dll"
#endif

typedef int(__cdecl *py_main_t)(int, wchar_t **);

static void complain(const wchar_t *text)
{
#ifdef BAOCAO_CONSOLE
    DWORD written;
    HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
    if (err != NULL && err != INVALID_HANDLE_VALUE && GetFileType(err) == FILE_TYPE_CHAR) {
        WriteConsoleW(err, text, (DWORD)wcslen(text), &written, NULL);
        WriteConsoleW(err, L"\r\n", 2, &written, NULL);
        return;
    }
#endif
    MessageBoxW(NULL, text, L"BaoCao", MB_OK | MB_ICONERROR);
}

int main(void)
{
    static const wchar_t *fixed[] = {L"-E", L"-X", L"utf8", L"-m", L"baocao_desktop"};
    const int nfixed = (int)(sizeof(fixed) / sizeof(fixed[0]));
    wchar_t folder[32768];
    wchar_t dll[32768];
    int argc = 0, i, n = 0;
    wchar_t **argv = CommandLineToArgvW(GetCommandLineW(), &argc);
    wchar_t **args;
    DWORD len = GetModuleFileNameW(NULL, folder, 32768);
    wchar_t *slash;
    HMODULE python;
    py_main_t py_main;

    if (argv == NULL || len == 0 || len >= 32768) {
        complain(L"BaoCao: kh\u00f4ng \u0111\u1ecdc \u0111\u01b0\u1ee3c d\u00f2ng l\u1ec7nh.");
        return 1;
    }
    slash = wcsrchr(folder, L'\\');
    if (slash != NULL)
        *slash = L'\0';
    _snwprintf(dll, 32768, L"%ls\\%ls", folder, PYTHON_DLL);
    dll[32767] = L'\0';

    /* The folder of the exe first in the DLL search (vcruntime140.dll, python3.dll lie there). */
    SetDllDirectoryW(folder);
    python = LoadLibraryExW(dll, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
    if (python == NULL) {
        complain(L"BaoCao: thi\u1ebfu t\u1ec7p python311.dll trong th\u01b0 m\u1ee5c c\u00e0i \u0111\u1eb7t. "
                 L"H\u00e3y c\u00e0i l\u1ea1i ch\u01b0\u01a1ng tr\u00ecnh.");
        return 1;
    }
    py_main = (py_main_t)(void (*)(void))GetProcAddress(python, "Py_Main");
    if (py_main == NULL) {
        complain(L"BaoCao: python311.dll kh\u00f4ng h\u1ee3p l\u1ec7. H\u00e3y c\u00e0i l\u1ea1i ch\u01b0\u01a1ng tr\u00ecnh.");
        return 1;
    }

    args = (wchar_t **)calloc((size_t)argc + (size_t)nfixed + 1, sizeof(wchar_t *));
    if (args == NULL)
        return 1;
    args[n++] = argv[0];
    for (i = 0; i < nfixed; i++)
        args[n++] = (wchar_t *)fixed[i];
    for (i = 1; i < argc; i++)
        args[n++] = argv[i];
    args[n] = NULL;
    return py_main(n, args);
}
