#pragma once
// Thin OpenSSL 3 helpers shared by the Sigstore, PEP 740 and hash-pin verifiers: owning handles,
// encodings, digests and signature checks. Every cryptographic operation goes through OpenSSL.
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <array>
#include <cstdint>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>

#include "moat/util/encoding.hpp"
#include "moat/util/error.hpp"

namespace moat::sign {

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
using PublicKey = std::shared_ptr<EVP_PKEY>;
using Certificate = std::shared_ptr<X509>;

using Sha256 = ::moat::Sha256Digest;

// Encodings and SHA-256 are moat's shared ones (util/encoding.hpp).
using ::moat::base64_decode;
using ::moat::base64_encode;
using ::moat::hex_decode;
using ::moat::hex_encode;
using ::moat::sha256;
inline std::string_view as_bytes(const Sha256& digest) { return digest_bytes(digest); }
/// Digest by OpenSSL name ("sha256", "sha384", "sha512"); empty string when the name is unknown.
std::string digest_by_name(std::string_view algorithm, std::string_view bytes);

/// The newest OpenSSL error, for messages.
std::string openssl_error();

/// DER SubjectPublicKeyInfo or PEM "PUBLIC KEY".
Result<PublicKey> parse_public_key(std::string_view der_or_pem);
/// DER of the key's SubjectPublicKeyInfo.
std::string public_key_der(EVP_PKEY* key);
/// DER or PEM certificate.
Result<Certificate> parse_certificate(std::string_view der_or_pem);
std::string certificate_der(X509* cert);

/// Verifies `signature` over `message`, hashing with the key's natural digest (SHA-256 for P-256 and
/// RSA, SHA-384 for P-384, SHA-512 for P-521, none for Ed25519).
bool verify_message(EVP_PKEY* key, std::string_view message, std::string_view signature);
/// The same with an explicit digest (nullptr for Ed25519).
bool verify_message(EVP_PKEY* key, std::string_view message, std::string_view signature, const EVP_MD* digest);
/// Verifies an ECDSA/RSA signature over an already computed SHA-256 digest.
bool verify_prehashed_sha256(EVP_PKEY* key, const Sha256& digest, std::string_view signature);

/// Seconds since the epoch of an RFC 3339 UTC timestamp ("2022-04-13T20:06:15Z", fractions allowed).
Result<std::int64_t> parse_rfc3339(std::string_view text);
/// "2024-03-19T22:41:16Z".
std::string format_utc(std::int64_t seconds);

}  // namespace moat::sign
