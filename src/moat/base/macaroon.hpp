#pragma once
// Macaroons in libmacaroons' V2 binary format: what PyPI API tokens are ("pypi-" + base64url). Both
// the token inspector and the secret scanner decode them here. Decoding shows a token's caveats; its
// signature can never be checked offline (the root key is PyPI's), so it is checked for length and
// dropped, never returned.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/util/error.hpp"

namespace moat {

struct MacaroonCaveat {
  std::string location;
  std::string identifier;      // for PyPI, the caveat's JSON text
  bool third_party = false;    // has a verification id
};

struct Macaroon {
  std::string location;
  std::string identifier;
  std::vector<MacaroonCaveat> caveats;
};

/// Parses libmacaroons' V2 binary serialization. Errors say which byte is wrong, never quote it.
Result<Macaroon> parse_macaroon_v2(std::string_view bytes);

/// "pypi-" + base64url of a V2 macaroon, decoded; errors say what is wrong (for `moat token inspect`).
Result<Macaroon> parse_pypi_token(std::string_view token);

/// parse_pypi_token() for scanners: also requires a plausible macaroon (at least 40 bytes, an
/// identifier, a printable location), so that random "pypi-..." text is not taken for a token.
std::optional<Macaroon> decode_pypi_token(std::string_view token);

struct TokenSpan {
  std::size_t offset = 0;
  std::size_t length = 0;
};

/// Every PyPI API token in text, in order: "pypi-" not preceded by a token character, then 50 or more
/// base64url characters that decode_pypi_token() accepts. The one recogniser of the secret scanner
/// (MOAT-SEC001) and the publishing audit (MOAT-CR004).
std::vector<TokenSpan> find_pypi_tokens(std::string_view text);

}  // namespace moat
