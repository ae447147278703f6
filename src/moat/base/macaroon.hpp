#pragma once
// Macaroons in libmacaroons' V2 binary format: what PyPI API tokens are ("pypi-" + base64url). Both
// the token inspector and the secret scanner decode them here. Decoding shows a token's caveats; its
// signature can never be checked offline (the root key is PyPI's), so it is checked for length and
// dropped, never returned.
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

}  // namespace moat
