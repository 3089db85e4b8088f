#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Checks that the documented Apache set-up for single sign-on through
# Microsoft Entra ID (config/apache/aarshjul-entra.conf) is valid Apache
# configuration with Debian's mod_auth_openidc: `apache2 -t` on it, with a
# throw-away certificate in place of the real one. Run by ctest.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=aarshjul.test \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
sed -e "s|/etc/ssl/certs/aarshjul.eksempel.dk.pem|$work/cert.pem|" \
    -e "s|/etc/ssl/private/aarshjul.eksempel.dk.key|$work/key.pem|" \
    "$src/config/apache/aarshjul-entra.conf" > "$work/site.conf"
modules=/usr/lib/apache2/modules
{
    echo "ServerRoot $work"
    echo "PidFile $work/pid"
    echo "ErrorLog $work/error.log"
    echo "Listen 127.0.0.1:18443"  # only parsed: apache2 -t binds nothing
    for m in mpm_event authz_core authn_core authz_user headers proxy proxy_http ssl auth_openidc; do
        echo "LoadModule ${m}_module $modules/mod_${m}.so"
    done
    echo "Include $work/site.conf"
} > "$work/httpd.conf"
apache2 -t -f "$work/httpd.conf"
