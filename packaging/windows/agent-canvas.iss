; Inno Setup script for Agent Canvas: a per-user install that needs no administrator rights.
;
;   iscc /DAppVersion=X.Y.Z /DSourceDir=packaging\out\dist\agent-canvas /Opackaging\out packaging\windows\agent-canvas.iss
;
; (`bash packaging/build.sh` in Git Bash runs PyInstaller and then this.) AppVersion comes from
; app/__init__.py, the one place the version lives; SourceDir is the PyInstaller one-dir bundle.
; Installs into %LOCALAPPDATA%\Programs\Agent Canvas, adds a Start-menu entry and an uninstaller
; (Settings > Apps), and removes everything it installed on uninstall.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (make package and the release workflow do)
#endif
#ifndef SourceDir
  #define SourceDir "..\out\dist\agent-canvas"
#endif
#define AppName "Agent Canvas"
#define AppExeName "agent-canvas.exe"

[Setup]
; AppId identifies the app across versions (upgrades replace, never duplicate). Never change it.
AppId={{6F0C7E52-3A8B-4D2C-9E51-7B4A2C9D1E30}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Agent Canvas developers
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=agent-canvas-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\agent-canvas.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; The app never writes into its install folder; this only catches a crashed run's leftovers.
Type: dirifempty; Name: "{app}"
