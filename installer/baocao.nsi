; BaoCao Desktop: Windows installer (NSIS 3, UTF-8 source).
;
; Built by installer/build_windows.sh:
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DSTAGE=build/windows/stage \
;            -DOUTFILE=build/windows/BaoCao-Setup-0.1.0.exe -DINSTALLED_KB=123456 installer/baocao.nsi
; STAGE is the program folder made by installer/stage_windows.py: BaoCao.exe, baocao-cmd.exe,
; python311.dll, python311.zip, python311._pth, Lib\site-packages\, app\baocao_desktop\, app\resources\.
;
; - 64-bit only (Qt 6 needs 64-bit Windows 10 1809+ or 11), Unicode, no admin rights:
;   installs per user into %LOCALAPPDATA%\Programs\BaoCao, registry under HKCU only.
; - Start-menu folder and desktop shortcut; uninstall entry in Settings → Apps.
; - .baocao transfer files open with BaoCao (per-user association, HKCU\Software\Classes).
; - The uninstaller keeps the user's data (%LOCALAPPDATA%\BaoCao) unless the box
;   "Xóa cả dữ liệu báo cáo" is ticked, or /REMOVEDATA is given with /S.
; Silent:  BaoCao-Setup.exe /S [/D=C:\path]      uninstall.exe /S [/REMOVEDATA]

Unicode true
Target amd64-unicode
RequestExecutionLevel user
ManifestDPIAware true
ManifestSupportedOS Win10
SetCompressor /SOLID lzma
SetCompressorDictSize 64

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef STAGE
  !error "makensis -DSTAGE=<program folder from installer/stage_windows.py>"
!endif
!ifndef OUTFILE
  !define OUTFILE "BaoCao-Setup-${VERSION}.exe"
!endif
!ifndef INSTALLED_KB
  !define INSTALLED_KB 0
!endif

!define APPNAME "BaoCao"
!define APPTITLE "BaoCao - Báo cáo của xã"
!define PUBLISHER "BaoCao"
!define EXE "BaoCao.exe"
!define CMD_EXE "baocao-cmd.exe"
!define UNINSTALLER "uninstall.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\BaoCao"
!define PROGID "BaoCao.TepGuiBaoCao"
!define EXT ".baocao"
!define DATA_DIR "$LOCALAPPDATA\BaoCao"
!define SETTINGS_KEY "Software\BaoCao"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"
!include "WinVer.nsh"

Name "${APPNAME}"
Caption "Cài đặt ${APPTITLE} ${VERSION}"
UninstallCaption "Gỡ cài đặt ${APPNAME}"
BrandingText "BaoCao ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\BaoCao"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
ShowInstDetails hide
ShowUninstDetails hide

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1066 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=1066 "FileDescription" "Cài đặt ${APPTITLE}"
VIAddVersionKey /LANG=1066 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1066 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1066 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1066 "LegalCopyright" "BaoCao"

!define MUI_ICON "baocao.ico"
!define MUI_UNICON "baocao.ico"
!define MUI_ABORTWARNING
!define MUI_ABORTWARNING_TEXT "Bạn có chắc muốn dừng cài đặt BaoCao?"
!define MUI_WELCOMEPAGE_TITLE "Cài đặt BaoCao ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "Chương trình giúp văn phòng Đảng ủy, UBND xã viết, kiểm tra số liệu và xuất báo cáo đúng thể thức.$\r$\n$\r$\nBaoCao được cài cho riêng tài khoản Windows này, không cần quyền quản trị và không cần Internet.$\r$\n$\r$\nBấm Tiếp để tiếp tục."
!define MUI_DIRECTORYPAGE_TEXT_TOP "BaoCao sẽ được cài vào thư mục dưới đây. Nên giữ nguyên thư mục mặc định."
!define MUI_FINISHPAGE_TITLE "Đã cài đặt xong BaoCao"
!define MUI_FINISHPAGE_TEXT "BaoCao đã được cài vào máy. Mở chương trình từ biểu tượng BaoCao trên màn hình hoặc trong menu Start.$\r$\n$\r$\nDữ liệu báo cáo được lưu trong thư mục:$\r$\n${DATA_DIR}"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Mở BaoCao ngay"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "BaoCao sẽ được gỡ khỏi máy. Dữ liệu báo cáo được giữ lại, trừ khi bạn chọn xóa ở bước sau."
!define MUI_UNCOMPONENTSPAGE_TEXT_TOP "Chương trình luôn được gỡ. Chỉ đánh dấu ô “Xóa cả dữ liệu báo cáo” nếu bạn chắc chắn không cần dữ liệu nữa (hãy sao lưu trước)."

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"

; A running BaoCao (GUI or command line) has python311.dll loaded, and Windows refuses to delete a
; loaded DLL: that is how the installer and the uninstaller see that BaoCao is still open.
!macro CLOSE_BAOCAO_FIRST ID
  ${If} ${FileExists} "$INSTDIR\python311.dll"
    close_first_${ID}:
    ClearErrors
    Delete "$INSTDIR\python311.dll"
    ${If} ${Errors}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "BaoCao đang mở. Hãy đóng mọi cửa sổ BaoCao rồi bấm Thử lại (Retry)." /SD IDCANCEL IDRETRY close_first_${ID}
      Abort "BaoCao đang mở: chưa thay đổi gì."
    ${EndIf}
  ${EndIf}
!macroend

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP|MB_OK "BaoCao cần Windows 10 hoặc 11 bản 64-bit. Máy này chạy Windows 32-bit nên không cài được." /SD IDOK
    Abort
  ${EndIf}
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_ICONSTOP|MB_OK "BaoCao cần Windows 10 (bản 1809 trở lên) hoặc Windows 11. Windows 7 và 8 không chạy được Qt 6." /SD IDOK
    Abort
  ${EndIf}
  SetShellVarContext current
FunctionEnd

Section "BaoCao" SecProgram
  SectionIn RO
  SetShellVarContext current
  ; An upgrade replaces the program files; the data folder is elsewhere and is never touched here.
  !insertmacro CLOSE_BAOCAO_FIRST install
  ${If} ${FileExists} "$INSTDIR\${EXE}"
    DetailPrint "Gỡ bản cũ trong $INSTDIR"
    RMDir /r "$INSTDIR\Lib"
    RMDir /r "$INSTDIR\app"
  ${EndIf}
  SetOutPath "$INSTDIR"
  File /r "${STAGE}/*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  ; Start menu and desktop
  CreateDirectory "$SMPROGRAMS\BaoCao"
  CreateShortcut "$SMPROGRAMS\BaoCao\BaoCao.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "Viết, kiểm tra và gửi báo cáo"
  CreateShortcut "$SMPROGRAMS\BaoCao\Gỡ cài đặt BaoCao.lnk" "$INSTDIR\${UNINSTALLER}" "" "$INSTDIR\${UNINSTALLER}" 0
  CreateShortcut "$DESKTOP\BaoCao.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "Viết, kiểm tra và gửi báo cáo"

  ; .baocao transfer files (per user)
  WriteRegStr HKCU "Software\Classes\${EXT}" "" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\${EXT}" "Content Type" "application/x-baocao"
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "Tệp gửi báo cáo BaoCao"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell" "" "open"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open" "" "Mở bằng BaoCao"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\${EXE}" "%1"'
  WriteRegStr HKCU "Software\Classes\Applications\${EXE}\SupportedTypes" "${EXT}" ""
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  ; Settings → Apps
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APPTITLE}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" ${INSTALLED_KB}
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
SectionEnd

; -- uninstaller -------------------------------------------------------------------------------------

Section "un.Gỡ chương trình BaoCao" SecUninstProgram
  SectionIn RO
  SetShellVarContext current
  !insertmacro CLOSE_BAOCAO_FIRST uninstall
  Delete "$DESKTOP\BaoCao.lnk"
  Delete "$SMPROGRAMS\BaoCao\BaoCao.lnk"
  Delete "$SMPROGRAMS\BaoCao\Gỡ cài đặt BaoCao.lnk"
  RMDir "$SMPROGRAMS\BaoCao"

  ReadRegStr $0 HKCU "Software\Classes\${EXT}" ""
  ${If} $0 == "${PROGID}"
    DeleteRegKey HKCU "Software\Classes\${EXT}"
  ${EndIf}
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  DeleteRegKey HKCU "Software\Classes\Applications\${EXE}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  DeleteRegKey HKCU "${UNINST_KEY}"

  ; Only what the installer put there (never RMDir /r on a folder the user may have chosen).
  RMDir /r "$INSTDIR\Lib"
  RMDir /r "$INSTDIR\app"
  Delete "$INSTDIR\*.exe"
  Delete "$INSTDIR\*.dll"
  Delete "$INSTDIR\*.pyd"
  Delete "$INSTDIR\python311.zip"
  Delete "$INSTDIR\python311._pth"
  Delete "$INSTDIR\python.cat"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\baocao.ico"
  RMDir "$INSTDIR"
SectionEnd

Section /o "un.Xóa cả dữ liệu báo cáo (${DATA_DIR})" SecData
  SetShellVarContext current
  DetailPrint "Xóa dữ liệu báo cáo: ${DATA_DIR}"
  RMDir /r "${DATA_DIR}"
  DeleteRegKey HKCU "${SETTINGS_KEY}"
SectionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecUninstProgram} "Gỡ chương trình, lối tắt và liên kết tệp .baocao. Dữ liệu báo cáo vẫn được giữ."
  !insertmacro MUI_DESCRIPTION_TEXT ${SecData} "Xóa vĩnh viễn mọi báo cáo, hồ sơ đơn vị và cài đặt trong ${DATA_DIR}. Không thể khôi phục nếu chưa sao lưu."
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END

; After the sections: it selects ${SecData} for /REMOVEDATA.
Function un.onInit
  SetShellVarContext current
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/REMOVEDATA" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${SecData}
  ${EndIf}
FunctionEnd
