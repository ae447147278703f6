#pragma once
// The tests' own PyPI token encoder: libmacaroons V2 binary + the HMAC-SHA256 signature chain, then
// "pypi-" + base64url without padding. Independent of the decoder under test.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>
#include <string_view>
#include <vector>

namespace moat::testing {

struct TestCaveat {
  std::string identifier;
  std::string location;        // empty: none (first-party)
  std::string verification_id; // non-empty makes it third-party
};

inline void append_varint(std::string& out, std::size_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

inline void append_field(std::string& out, unsigned type, std::string_view data) {
  append_varint(out, type);
  append_varint(out, data.size());
  out.append(data);
}

inline std::string hmac_sha256(std::string_view key, std::string_view message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), digest, &length);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

inline std::string base64url(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

/// The macaroon's V2 bytes; the signature follows the chain PyPI uses (root key: 32 zero bytes).
inline std::string encode_macaroon(std::string_view location, std::string_view identifier,
                                   const std::vector<TestCaveat>& caveats) {
  const std::string root_key(32, '\0');
  std::string signature = hmac_sha256(hmac_sha256("macaroons-key-generator", root_key), identifier);
  std::string out(1, '\x02');
  append_field(out, 1, location);
  append_field(out, 2, identifier);
  out.push_back('\0');
  for (const auto& caveat : caveats) {
    if (!caveat.location.empty()) append_field(out, 1, caveat.location);
    append_field(out, 2, caveat.identifier);
    if (!caveat.verification_id.empty()) append_field(out, 4, caveat.verification_id);
    out.push_back('\0');
    signature = hmac_sha256(signature, caveat.identifier);
  }
  out.push_back('\0');
  append_field(out, 6, signature);
  return out;
}

inline std::string encode_token(std::string_view location, std::string_view identifier,
                                const std::vector<TestCaveat>& caveats) {
  return "pypi-" + base64url(encode_macaroon(location, identifier, caveats));
}

}  // namespace moat::testing
