#!/usr/bin/env bash
# Make the macOS disk image from the PyInstaller .app (called by packaging/build.sh on macOS).
#
#   packaging/macos/build-dmg.sh "packaging/out/dist/Agent Canvas.app" packaging/out
#
# Signing and notarisation run only when their secrets are in the environment, else they are
# skipped with a note (an unsigned app opens with right-click > Open the first time):
#   MACOS_CERTIFICATE (base64 .p12), MACOS_CERTIFICATE_PASSWORD, MACOS_SIGNING_IDENTITY
#     ("Developer ID Application: Name (TEAMID)") — sign the app and the image;
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD (an app-specific password) — notarise and staple.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
APP="${1:-$ROOT/packaging/out/dist/Agent Canvas.app}"
OUT="${2:-$ROOT/packaging/out}"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/app/__init__.py")"
DMG="$OUT/Agent-Canvas-$VERSION.dmg"
[ -d "$APP" ] || { echo "build-dmg: no app bundle at $APP" >&2; exit 1; }

plist_version="$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$APP/Contents/Info.plist")"
[ "$plist_version" = "$VERSION" ] || { echo "build-dmg: Info.plist says $plist_version, app says $VERSION" >&2; exit 1; }

signing=false
if [ -n "${MACOS_CERTIFICATE:-}" ] && [ -n "${MACOS_CERTIFICATE_PASSWORD:-}" ] && [ -n "${MACOS_SIGNING_IDENTITY:-}" ]; then
    signing=true
    KEYCHAIN="$(mktemp -d)/agent-canvas-signing.keychain-db"
    KEYCHAIN_PASSWORD="$(uuidgen)"
    CERT="$(mktemp -d)/certificate.p12"
    echo "$MACOS_CERTIFICATE" | base64 --decode > "$CERT"
    security create-keychain -p "$KEYCHAIN_PASSWORD" "$KEYCHAIN"
    security set-keychain-settings -lut 21600 "$KEYCHAIN"
    security unlock-keychain -p "$KEYCHAIN_PASSWORD" "$KEYCHAIN"
    security import "$CERT" -P "$MACOS_CERTIFICATE_PASSWORD" -A -t cert -f pkcs12 -k "$KEYCHAIN"
    security set-key-partition-list -S apple-tool:,apple: -k "$KEYCHAIN_PASSWORD" "$KEYCHAIN" >/dev/null
    security list-keychains -d user -s "$KEYCHAIN" $(security list-keychains -d user | tr -d '"')
    rm -f "$CERT"
    echo "build-dmg: signing with $MACOS_SIGNING_IDENTITY"
    codesign --force --deep --options runtime --timestamp \
        --entitlements "$HERE/entitlements.plist" --sign "$MACOS_SIGNING_IDENTITY" "$APP"
    codesign --verify --deep --strict --verbose=2 "$APP"
else
    echo "build-dmg: no signing certificate in the environment: the app and image stay unsigned"
fi

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
mkdir -p "$OUT"
rm -f "$DMG"
hdiutil create -volname "Agent Canvas $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG" >/dev/null

if $signing; then
    codesign --force --timestamp --sign "$MACOS_SIGNING_IDENTITY" "$DMG"
    if [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
        echo "build-dmg: notarising"
        xcrun notarytool submit "$DMG" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
            --password "$APPLE_APP_PASSWORD" --wait
        xcrun stapler staple "$DMG"
    else
        echo "build-dmg: no notarisation credentials in the environment: signed but not notarised"
    fi
fi
echo "$DMG"
