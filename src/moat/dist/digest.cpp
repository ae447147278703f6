#include "moat/dist/digest.hpp"

#include <openssl/evp.h>

namespace moat::dist {

struct Sha256Hasher::State {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  ~State() { EVP_MD_CTX_free(context); }
};

Sha256Hasher::Sha256Hasher() : m_state(std::make_unique<State>()) {
  EVP_DigestInit_ex(m_state->context, EVP_sha256(), nullptr);
}

Sha256Hasher::~Sha256Hasher() = default;

void Sha256Hasher::update(std::string_view bytes) {
  if (!bytes.empty()) EVP_DigestUpdate(m_state->context, bytes.data(), bytes.size());
}

Sha256 Sha256Hasher::finish() {
  Sha256 digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(m_state->context, digest.data(), &length);
  EVP_DigestInit_ex(m_state->context, EVP_sha256(), nullptr);
  return digest;
}

Sha256 sha256_of(std::string_view bytes) {
  Sha256 digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return digest;
}

std::string to_hex(const Sha256& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (unsigned char byte : digest) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0xF]);
  }
  return out;
}

std::string to_urlsafe_base64_nopad(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t index = 0;
  for (; index + 3 <= bytes.size(); index += 3) {
    const unsigned value = (static_cast<unsigned char>(bytes[index]) << 16) |
                           (static_cast<unsigned char>(bytes[index + 1]) << 8) |
                           static_cast<unsigned char>(bytes[index + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(value >> shift) & 0x3F]);
  }
  const std::size_t rest = bytes.size() - index;
  if (rest > 0) {
    unsigned value = static_cast<unsigned char>(bytes[index]) << 16;
    if (rest == 2) value |= static_cast<unsigned char>(bytes[index + 1]) << 8;
    out.push_back(kAlphabet[(value >> 18) & 0x3F]);
    out.push_back(kAlphabet[(value >> 12) & 0x3F]);
    if (rest == 2) out.push_back(kAlphabet[(value >> 6) & 0x3F]);
  }
  return out;
}

bool decode_base64(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size() * 3 / 4);
  unsigned accumulator = 0;
  int bits = 0;
  for (char character : text) {
    int value = -1;
    if (character >= 'A' && character <= 'Z') value = character - 'A';
    else if (character >= 'a' && character <= 'z') value = character - 'a' + 26;
    else if (character >= '0' && character <= '9') value = character - '0' + 52;
    else if (character == '+' || character == '-') value = 62;
    else if (character == '/' || character == '_') value = 63;
    else if (character == '=' || character == '\n' || character == '\r') continue;
    if (value < 0) return false;
    accumulator = (accumulator << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((accumulator >> bits) & 0xFF));
    }
  }
  return true;
}

}  // namespace moat::dist
