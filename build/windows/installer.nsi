; Wadi installer for Windows (amd64). Built by `make package` with makensis:
;   makensis -DVERSION=<v> -DEXE=<path to wadi.exe> -DOUTFILE=<installer.exe> build/windows/installer.nsi
; Installs for the current user or all users, adds Start menu and desktop
; shortcuts and an uninstaller. User data (in %LOCALAPPDATA%\wadi) is never
; removed by the uninstaller.
Unicode true
!include "MUI2.nsh"
!include "x64.nsh"

!ifndef VERSION
  !define VERSION "0.0.0-dev"
!endif
Name "Wadi"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\Wadi"
InstallDirRegKey HKLM "Software\Wadi" "InstallDir"
RequestExecutionLevel admin
SetCompressor /SOLID lzma

!define MUI_ICON "icon.ico"
!define MUI_UNICON "icon.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\wadi.exe"
!define MUI_FINISHPAGE_TEXT "Wadi uses Ollama to run models. If Ollama is not installed yet, get it from https://ollama.com/download (Wadi's built-in engine is included only in the Linux package for now)."
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

VIProductVersion "0.0.0.0"
VIAddVersionKey "ProductName" "Wadi"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "Wadi installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "The Wadi developers"

Section "Wadi" SecMain
  SectionIn RO
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "Wadi needs 64-bit Windows."
    Abort
  ${EndIf}
  SetOutPath "$INSTDIR"
  File "/oname=wadi.exe" "${EXE}"
  File "icon.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateDirectory "$SMPROGRAMS\Wadi"
  CreateShortcut "$SMPROGRAMS\Wadi\Wadi.lnk" "$INSTDIR\wadi.exe" "" "$INSTDIR\icon.ico"
  CreateShortcut "$DESKTOP\Wadi.lnk" "$INSTDIR\wadi.exe" "" "$INSTDIR\icon.ico"
  WriteRegStr HKLM "Software\Wadi" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\Wadi" "DisplayName" "Wadi"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\Wadi" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\Wadi" "Publisher" "The Wadi developers"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\Wadi" "DisplayIcon" "$INSTDIR\icon.ico"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\Wadi" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\Wadi" "NoModify" 1
  WriteRegDWORD HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\Wadi" "NoRepair" 1
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\wadi.exe"
  Delete "$INSTDIR\icon.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\Wadi\Wadi.lnk"
  RMDir "$SMPROGRAMS\Wadi"
  Delete "$DESKTOP\Wadi.lnk"
  DeleteRegKey HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\Wadi"
  DeleteRegKey HKLM "Software\Wadi"
SectionEnd
