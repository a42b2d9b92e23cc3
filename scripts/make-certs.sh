#!/usr/bin/env bash
# Makes the certificates an OrleansConfig cluster with mutual TLS needs, as PEM files in DIR (EC P-256 keys, mode 0600):
#   ca.pem              the cluster CA: every silo's and client's certificate chains to it (OrleansConfig:Tls:CaPath)
#   silo.pem            CN=orleans-config-silo, SANs silo1 silo2 silo3 localhost 127.0.0.1, serverAuth+clientAuth
#                       (silos connect to each other); one identity shared by every silo
#   admin.pem           CN=admin: force-replace, remove sources, write any source (OrleansConfig:Authorization:Admins)
#   writer-manual.pem   CN=writer-manual: may write the source `manual` (OrleansConfig:Authorization:Writers:manual)
#   reader.pem          CN=reader: reads and watches, writes nothing
#   etcd-ca.pem         a second CA, for etcd only: a cluster client certificate cannot reach etcd
#   etcd.pem            etcd's server certificate, SANs etcd localhost 127.0.0.1 (clientAuth too: etcd's gateway dials itself)
#   etcd-client.pem     CN=orleans-config-etcd-source: the silos' etcd source (Sources:Etcd:CertFile)
# Each certificate's key is NAME-key.pem beside it; the CAs' keys (ca-key.pem, etcd-ca-key.pem) sign and stay here.
#
# Idempotent: a certificate whose files exist and that still verifies against its CA is kept (so certificates you
# bring yourself, under these names, are kept too); anything missing, expired or signed by another CA is made again.
# --force makes everything again, CAs included.
#
# Usage: scripts/make-certs.sh [--force] [--days N] DIR      (N: the leaf certificates' validity, default 365;
#                                                            the CAs get ten times as long)
set -euo pipefail

force=0
days=365
dir=""
usage() { echo "usage: $0 [--force] [--days N] DIR" >&2; exit 2; }
while (($#)); do
  case "$1" in
    --force) force=1 ;;
    --days) shift; [[ "${1:-}" =~ ^[1-9][0-9]*$ ]] || usage; days="$1" ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) usage ;;
    *) [[ -z "$dir" ]] || usage; dir="$1" ;;
  esac
  shift
done
[[ -n "$dir" ]] || usage
command -v openssl >/dev/null 2>&1 || { echo "make-certs: openssl is not installed" >&2; exit 1; }
mkdir -p "$dir"
umask 077

made=() kept=()

# Writes a new P-256 key to $1 (mode 0600, via a temporary file so a half-written key never stays).
new_key() {
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.tmp" 2>/dev/null
  chmod 600 "$1.tmp"
  mv -f "$1.tmp" "$1"
}

serial() { echo "0x$(openssl rand -hex 16)"; }

# ca NAME SUBJECT: a self-signed CA in NAME.pem / NAME-key.pem; prints "new" when it made one.
ca() {
  local name="$1" subject="$2" cert="$dir/$1.pem" key="$dir/$1-key.pem"
  # A CA you brought may come without its key: kept all the same, as long as nothing needs signing.
  if ((!force)) && [[ -s "$cert" ]] && openssl x509 -in "$cert" -noout -checkend 0 >/dev/null 2>&1; then
    kept+=("$name.pem ($(openssl x509 -in "$cert" -noout -subject -nameopt RFC2253 | sed 's/^subject= *//'), CA)")
    return
  fi
  new_key "$key"
  openssl req -new -x509 -key "$key" -subj "/$subject" -days $((days * 10)) -sha256 -set_serial "$(serial)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" \
    -out "$cert.tmp"
  chmod 644 "$cert.tmp"
  mv -f "$cert.tmp" "$cert"
  made+=("$name.pem ($subject, CA)")
}

# leaf NAME CA CN USAGE [SAN]: a certificate NAME.pem / NAME-key.pem signed by CA.pem, for USAGE (extendedKeyUsage).
leaf() {
  local name="$1" ca="$2" cn="$3" usage="$4" san="${5:-}"
  local cert="$dir/$name.pem" key="$dir/$name-key.pem" ext
  if ((!force)) && [[ -s "$cert" && -s "$key" ]] && openssl verify -CAfile "$dir/$ca.pem" -purpose any "$cert" >/dev/null 2>&1 &&
    [[ "$(openssl x509 -in "$cert" -noout -pubkey 2>/dev/null)" == "$(openssl pkey -in "$key" -pubout 2>/dev/null)" ]]; then
    kept+=("$name.pem (CN=$cn)")
    return
  fi
  [[ -s "$dir/$ca-key.pem" ]] || {
    echo "make-certs: cannot make $name.pem: $dir/$ca-key.pem is missing (bring $name.pem and $name-key.pem too, or remove $ca.pem to make a new CA)" >&2
    exit 1
  }
  new_key "$key"
  ext="$(mktemp)"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature"
    echo "extendedKeyUsage=$usage"
    echo "subjectKeyIdentifier=hash"
    echo "authorityKeyIdentifier=keyid"
    [[ -z "$san" ]] || echo "subjectAltName=$san"
  } >"$ext"
  openssl req -new -key "$key" -subj "/CN=$cn" 2>/dev/null |
    openssl x509 -req -CA "$dir/$ca.pem" -CAkey "$dir/$ca-key.pem" -set_serial "$(serial)" -days "$days" -sha256 \
      -extfile "$ext" -out "$cert.tmp" 2>/dev/null
  rm -f "$ext"
  chmod 644 "$cert.tmp"
  mv -f "$cert.tmp" "$cert"
  made+=("$name.pem (CN=$cn, $usage${san:+, $san})")
}

ca ca "CN=OrleansConfig CA"
leaf silo ca orleans-config-silo serverAuth,clientAuth "DNS:silo1,DNS:silo2,DNS:silo3,DNS:localhost,IP:127.0.0.1"
leaf admin ca admin clientAuth
leaf writer-manual ca writer-manual clientAuth
leaf reader ca reader clientAuth
ca etcd-ca "CN=OrleansConfig etcd CA"
leaf etcd etcd-ca etcd serverAuth,clientAuth "DNS:etcd,DNS:localhost,IP:127.0.0.1"
leaf etcd-client etcd-ca orleans-config-etcd-source clientAuth

for line in "${made[@]}"; do echo "made $dir/$line"; done
for line in "${kept[@]}"; do echo "kept $dir/$line"; done
echo "valid for $days days (CAs $((days * 10))); keys are NAME-key.pem, mode 0600"
