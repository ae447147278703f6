#include "moat/sign/crypto.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstdio>

namespace moat::sign {

namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using Bio = std::unique_ptr<BIO, BioFree>;

Bio memory_bio(std::string_view bytes) {
  return Bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

bool looks_like_pem(std::string_view text) { return text.find("-----BEGIN ") != std::string_view::npos; }

}  // namespace

std::string digest_by_name(std::string_view algorithm, std::string_view bytes) {
  const EVP_MD* md = EVP_get_digestbyname(std::string(algorithm).c_str());
  if (md == nullptr) return {};
  std::string digest(static_cast<std::size_t>(EVP_MD_get_size(md)), '\0');
  EVP_Digest(bytes.data(), bytes.size(), reinterpret_cast<unsigned char*>(digest.data()), nullptr, md, nullptr);
  return digest;
}

std::string openssl_error() {
  const unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  return buffer;
}

Result<PublicKey> parse_public_key(std::string_view der_or_pem) {
  EVP_PKEY* key = nullptr;
  if (looks_like_pem(der_or_pem)) {
    Bio bio = memory_bio(der_or_pem);
    key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  } else {
    const auto* cursor = reinterpret_cast<const unsigned char*>(der_or_pem.data());
    key = d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der_or_pem.size()));
  }
  if (key == nullptr) return fail("", "not a public key: " + openssl_error());
  return PublicKey(key, PkeyFree{});
}

std::string public_key_der(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key, &der);
  if (length <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

Result<Certificate> parse_certificate(std::string_view der_or_pem) {
  X509* cert = nullptr;
  if (looks_like_pem(der_or_pem)) {
    Bio bio = memory_bio(der_or_pem);
    cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  } else {
    const auto* cursor = reinterpret_cast<const unsigned char*>(der_or_pem.data());
    cert = d2i_X509(nullptr, &cursor, static_cast<long>(der_or_pem.size()));
  }
  if (cert == nullptr) return fail("", "not an X.509 certificate: " + openssl_error());
  return Certificate(cert, X509Free{});
}

std::string certificate_der(X509* cert) {
  unsigned char* der = nullptr;
  const int length = i2d_X509(cert, &der);
  if (length <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

namespace {

const EVP_MD* natural_digest(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_ED25519:
    case EVP_PKEY_ED448:
      return nullptr;
    case EVP_PKEY_EC: {
      const int bits = EVP_PKEY_get_bits(key);
      if (bits > 384) return EVP_sha512();
      if (bits > 256) return EVP_sha384();
      return EVP_sha256();
    }
    default:
      return EVP_sha256();
  }
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* context) const { EVP_PKEY_CTX_free(context); }
};

}  // namespace

bool verify_message(EVP_PKEY* key, std::string_view message, std::string_view signature) {
  return verify_message(key, message, signature, natural_digest(key));
}

bool verify_message(EVP_PKEY* key, std::string_view message, std::string_view signature, const EVP_MD* digest) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> context(EVP_MD_CTX_new());
  if (!context || EVP_DigestVerifyInit(context.get(), nullptr, digest, nullptr, key) != 1) {
    ERR_clear_error();
    return false;
  }
  const int verdict = EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                                       signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                                       message.size());
  ERR_clear_error();
  return verdict == 1;
}

bool verify_prehashed_sha256(EVP_PKEY* key, const Sha256& digest, std::string_view signature) {
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> context(EVP_PKEY_CTX_new(key, nullptr));
  if (!context || EVP_PKEY_verify_init(context.get()) != 1 ||
      EVP_PKEY_CTX_set_signature_md(context.get(), EVP_sha256()) != 1) {
    ERR_clear_error();
    return false;
  }
  const int verdict = EVP_PKEY_verify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                                      signature.size(), digest.data(), digest.size());
  ERR_clear_error();
  return verdict == 1;
}

Result<std::int64_t> parse_rfc3339(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &year, &month, &day, &hour, &minute, &second) != 6 ||
      (copy.back() != 'Z' && copy.back() != 'z'))
    return fail("", "not an RFC 3339 UTC time: " + copy);
  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&parts));
}

std::string format_utc(std::int64_t seconds) {
  const auto time = static_cast<std::time_t>(seconds);
  std::tm parts{};
  gmtime_r(&time, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

}  // namespace moat::sign
