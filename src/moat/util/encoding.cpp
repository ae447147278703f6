#include "moat/util/encoding.hpp"

#include <openssl/evp.h>

namespace moat {

namespace {

constexpr std::string_view kStandardAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlsafeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<std::string> base64_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned accumulator = 0;
  int bits = 0;
  std::size_t symbols = 0;
  bool padding_seen = false;
  for (char c : text) {
    if (c == '\r' || c == '\n') continue;
    if (c == '=') {
      padding_seen = true;
      continue;
    }
    const int value = base64_value(c);
    if (value < 0 || padding_seen) return fail("", "invalid base64");
    accumulator = (accumulator << 6U) | static_cast<unsigned>(value);
    bits += 6;
    ++symbols;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((accumulator >> static_cast<unsigned>(bits)) & 0xFFU));
    }
  }
  if (symbols % 4 == 1) return fail("", "invalid base64 length");
  return out;
}

std::string base64_encode(std::string_view bytes, Base64Alphabet alphabet, bool padded) {
  const std::string_view symbols = alphabet == Base64Alphabet::standard ? kStandardAlphabet : kUrlsafeAlphabet;
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned triple = (static_cast<unsigned char>(bytes[i]) << 16U) |
                            (static_cast<unsigned char>(bytes[i + 1]) << 8U) | static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(symbols[(triple >> 18U) & 63U]);
    out.push_back(symbols[(triple >> 12U) & 63U]);
    out.push_back(symbols[(triple >> 6U) & 63U]);
    out.push_back(symbols[triple & 63U]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned triple = static_cast<unsigned char>(bytes[i]) << 16U;
    if (rest == 2) triple |= static_cast<unsigned char>(bytes[i + 1]) << 8U;
    out.push_back(symbols[(triple >> 18U) & 63U]);
    out.push_back(symbols[(triple >> 12U) & 63U]);
    if (rest == 2) out.push_back(symbols[(triple >> 6U) & 63U]);
    if (padded) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

std::string hex_encode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4U]);
    out.push_back(kDigits[c & 15U]);
  }
  return out;
}

Result<std::string> hex_decode(std::string_view text) {
  if (text.size() % 2 != 0) return fail("", "odd number of hex digits");
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = hex_value(text[i]);
    const int low = hex_value(text[i + 1]);
    if (high < 0 || low < 0) return fail("", "invalid hex digit");
    out.push_back(static_cast<char>((high << 4) | low));
  }
  return out;
}

namespace {

/// SHA-256 fetched from the provider once: EVP_sha256() makes every EVP_DigestInit fetch it again,
/// which cost more than hashing a finding's fingerprint basis.
const EVP_MD* sha256_algorithm() {
  static EVP_MD* const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return algorithm != nullptr ? algorithm : EVP_sha256();
}

}  // namespace

struct Sha256Hasher::State {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  State() { EVP_DigestInit_ex(context, sha256_algorithm(), nullptr); }
  ~State() { EVP_MD_CTX_free(context); }
  State(const State&) = delete;
  State& operator=(const State&) = delete;
};

Sha256Hasher::Sha256Hasher() : m_state(std::make_unique<State>()) {}
Sha256Hasher::~Sha256Hasher() = default;
Sha256Hasher::Sha256Hasher(Sha256Hasher&&) noexcept = default;
Sha256Hasher& Sha256Hasher::operator=(Sha256Hasher&&) noexcept = default;

void Sha256Hasher::update(std::string_view bytes) { EVP_DigestUpdate(m_state->context, bytes.data(), bytes.size()); }

Sha256Digest Sha256Hasher::finish() {
  Sha256Digest digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(m_state->context, digest.data(), &length);
  EVP_DigestInit_ex(m_state->context, sha256_algorithm(), nullptr);
  return digest;
}

Sha256Digest sha256(std::string_view bytes) {
  Sha256Digest digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, sha256_algorithm(), nullptr);
  return digest;
}

std::string_view digest_bytes(const Sha256Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

}  // namespace moat
