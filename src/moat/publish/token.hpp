#pragma once
// PyPI API tokens: "pypi-" + a macaroon in libmacaroons' V2 binary format, base64url without
// padding. Decoding shows what a token may do (its caveats) without being able to verify it: the root
// key is PyPI's. Nothing here ever returns the token's signature or text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "moat/base/macaroon.hpp"
#include "moat/util/error.hpp"

namespace moat::publish {

using ::moat::Macaroon;
using ::moat::MacaroonCaveat;
using ::moat::parse_macaroon_v2;

/// One caveat as PyPI reads it.
struct TokenCaveat {
  std::string format;       // "current" (a JSON list) or "legacy" (a JSON object), or "invalid"
  std::string kind;         // expiration, project-names, project-ids, request-user, oidc-publisher, unknown
  std::string description;  // one line for people
  nlohmann::ordered_json value;  // the parsed JSON (null when it does not parse)
};

struct TokenInspection {
  std::string index;  // the macaroon location: pypi.org, test.pypi.org
  std::string identifier;
  std::string scope;  // "user", "projects", "trusted-publisher", "unrestricted"
  std::vector<std::string> projects;
  std::vector<std::string> project_ids;
  std::optional<std::string> user_id;
  std::optional<std::string> publisher_id;
  std::optional<std::int64_t> not_before;
  std::optional<std::int64_t> expires_at;
  std::vector<TokenCaveat> caveats;
  std::vector<std::string> warnings;
};

/// Decodes and interprets a token; `now` (Unix seconds) decides expired / not yet valid. Errors never
/// quote the token.
Result<TokenInspection> inspect_token(std::string_view token, std::int64_t now);

std::string render_token_text(const TokenInspection& inspection);
nlohmann::ordered_json token_json(const TokenInspection& inspection);

/// "2023-11-14T22:13:20Z".
std::string format_utc(std::int64_t seconds);

}  // namespace moat::publish
