#pragma once
// The secret scanner: PyPI tokens (validated by decoding the macaroon), GitHub, GitLab, AWS, GCP,
// Azure and Slack credentials, private keys, and random-looking literals assigned to credential-like
// names. Works on any text: files inside artifacts and plain project files alike. Secrets never
// appear in findings: messages and snippets carry a masked form.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/base/finding.hpp"
#include "moat/base/macaroon.hpp"

namespace moat::dist {

struct SecretMatch {
  std::string_view rule_id;  // MOAT-SEC00x
  std::string kind;          // "PyPI API token", "GitHub personal access token", ...
  std::size_t offset = 0;    // of the secret in the text
  std::size_t length = 0;
  int line = 0;              // 1-based
  int column = 0;            // 0-based, bytes
  std::string masked;        // the secret with all but a short prefix hidden
  Confidence confidence = Confidence::high;
};

/// Every secret in `text`, in text order.
std::vector<SecretMatch> find_secrets(std::string_view text);

/// find_secrets() as findings located at `path` (e.g. "dist.whl!/pkg/settings.py"), with masked
/// snippets. Binary data (a NUL byte in the first 8 KB) yields nothing.
std::vector<Finding> scan_secrets(std::string_view path, std::string_view text);

/// True when the data looks binary (a NUL byte in its first 8 KB).
bool looks_binary(std::string_view data);

using ::moat::Macaroon;
using ::moat::decode_pypi_token;

/// The masked form of a secret: a short prefix and asterisks, never the secret's length.
std::string mask_secret(std::string_view secret);

}  // namespace moat::dist
