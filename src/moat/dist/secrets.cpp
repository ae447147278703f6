#include "moat/dist/secrets.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <memory>

#include "moat/dist/digest.hpp"
#include "moat/dist/rules.hpp"

namespace moat::dist {

namespace {

enum class Validation { none, aws_example, entropy, gcp_service_account };

struct SecretPattern {
  std::string_view rule_id;
  std::string_view kind;
  std::string_view regex;  // group 1, when present, is the secret; else the whole match
  Validation validation = Validation::none;
};

// Patterns follow the token formats the issuers document (and gitleaks / detect-secrets use). PyPI
// tokens (MOAT-SEC001) are found by base's find_pypi_tokens(), which the publishing audit shares.
constexpr auto kPatterns = std::to_array<SecretPattern>({
    {"MOAT-SEC002", "GitHub token", R"(\b(gh[pousr]_[A-Za-z0-9]{36,255})\b)"},
    {"MOAT-SEC002", "GitHub fine-grained personal access token", R"(\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b)"},
    {"MOAT-SEC003", "GitLab token",
     R"(\b((?:glpat|gldt|glrt|glptt|glft|glsoat|glcbt|gloas)-[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-]))"},
    {"MOAT-SEC003", "GitLab runner registration token", R"(\b(GR1348941[A-Za-z0-9_-]{20,}))"},
    {"MOAT-SEC004", "AWS access key id", R"(\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b)", Validation::aws_example},
    {"MOAT-SEC004", "AWS secret access key",
     R"((?i)aws_?secret_?(?:access_?)?key["']?\s*(?::|=|:=|=>)\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=]))",
     Validation::entropy},
    {"MOAT-SEC005", "Google API key", R"(\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-]))"},
    {"MOAT-SEC005", "Google service-account key file", R"("type"\s*:\s*"service_account")",
     Validation::gcp_service_account},
    {"MOAT-SEC006", "Azure storage account key", R"(AccountKey=([A-Za-z0-9+/]{86}==))"},
    {"MOAT-SEC006", "Azure Entra ID client secret",
     R"((?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-]))"},
    {"MOAT-SEC007", "Slack token", R"(\b(xox[baprs]-[0-9A-Za-z-]{10,250}))"},
    {"MOAT-SEC007", "Slack incoming webhook",
     R"((https://hooks\.slack\.com/services/T[A-Z0-9]{8,}/B[A-Z0-9]{8,}/[A-Za-z0-9]{20,}))"},
    // A header alone is how libraries recognise keys; a real key has base64 material after it.
    {"MOAT-SEC008", "private key",
     R"((-----BEGIN (?:RSA |DSA |EC |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----)(?:\\n|\\r|[\s"'+]|[A-Za-z-]+: [^\n]*\n)*[A-Za-z0-9+/]{40})"},
    {"MOAT-SEC009", "credential in an assignment",
     R"((?i)(?:password|passwd|pwd|secret|token|api_?key|apikey|access_?key|auth_?key|client_?secret|credentials?)[a-z0-9_.-]*["']?\s*(?::|=|:=|=>)\s*[bru]?["']([^"'\s]{16,200})["'])",
     Validation::entropy},
});

struct CodeDeleter {
  void operator()(pcre2_code* code) const { pcre2_code_free(code); }
};
struct MatchDataDeleter {
  void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};

struct CompiledPatterns {
  std::vector<std::unique_ptr<pcre2_code, CodeDeleter>> codes;
  CompiledPatterns() {
    for (const auto& pattern : kPatterns) {
      int error = 0;
      PCRE2_SIZE offset = 0;
      pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.regex.data()), pattern.regex.size(), 0,
                                       &error, &offset, nullptr);
      if (code != nullptr) pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
      codes.emplace_back(code);
    }
  }
};

const CompiledPatterns& compiled() {
  static const CompiledPatterns patterns;
  return patterns;
}

double shannon_entropy(std::string_view text) {
  std::array<int, 256> counts{};
  for (unsigned char c : text) ++counts[c];
  double entropy = 0;
  for (int count : counts) {
    if (count == 0) continue;
    const double p = static_cast<double>(count) / static_cast<double>(text.size());
    entropy -= p * std::log2(p);
  }
  return entropy;
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
  return std::ranges::search(haystack, needle, [](unsigned char a, unsigned char b) {
           return std::tolower(a) == std::tolower(b);
         }).begin() != haystack.end();
}

/// A literal that is random enough to be a real credential rather than a name, message or placeholder.
bool looks_random(std::string_view value) {
  for (std::string_view placeholder : {"example", "xxxx", "your", "changeme", "dummy", "placeholder", "redacted",
                                       "secret", "password", "token", "test", "sample", "fake", "${", "{{", "%(",
                                       "<", "...", "****", "abcd", "1234", "0000"})
    if (contains_ci(value, placeholder)) return false;
  const bool has_digit = std::ranges::any_of(value, [](unsigned char c) { return std::isdigit(c) != 0; });
  const bool has_letter = std::ranges::any_of(value, [](unsigned char c) { return std::isalpha(c) != 0; });
  if (!has_digit || !has_letter) return false;
  if (value.starts_with("http") || value.starts_with('/') || value.find_first_of(" []()") != std::string_view::npos)
    return false;
  return shannon_entropy(value) >= 3.5;
}

/// Pagination, idempotency and CSRF "tokens" are not credentials.
bool names_a_non_credential(std::string_view assignment) {
  for (std::string_view word : {"next", "change", "page", "continuation", "idempotency", "cursor", "lifecycle", "sync",
                                "csrf", "xsrf", "request", "marker", "output", "input"})
    if (contains_ci(assignment, word)) return true;
  return false;
}

/// Tests, examples, fixtures and documentation hold sample credentials far more often than real ones.
bool is_sample_path(std::string_view path) {
  if (const std::size_t inner = path.rfind("!/"); inner != std::string_view::npos) path.remove_prefix(inner + 2);
  for (std::string_view word : {"example", "test", "fixture", "sample", "/docs/", "/doc/", "mock", "fake"})
    if (contains_ci(path, word)) return true;
  return false;
}

bool valid_for(const SecretPattern& pattern, std::string_view secret, std::string_view text, Confidence& confidence) {
  switch (pattern.validation) {
    case Validation::none: return true;
    case Validation::aws_example:
      if (secret.ends_with("EXAMPLE")) confidence = Confidence::low;
      return true;
    case Validation::entropy:
      confidence = Confidence::medium;
      return looks_random(secret);
    case Validation::gcp_service_account:
      return text.find("\"private_key\"") != std::string_view::npos;
  }
  return true;
}

/// The line holding `match`, every secret on it replaced by its masked form; after a private-key
/// header the rest of the line is dropped (it may hold key material).
std::string masked_line(std::string_view text, const std::vector<SecretMatch>& matches, const SecretMatch& match) {
  const std::size_t line_begin = match.offset - static_cast<std::size_t>(match.column);
  std::size_t line_end = text.find('\n', match.offset);
  if (line_end == std::string_view::npos) line_end = text.size();
  std::string snippet;
  std::size_t position = line_begin;
  for (const auto& other : matches) {
    if (other.offset < line_begin || other.offset >= line_end) continue;
    snippet += text.substr(position, other.offset - position);
    snippet += other.masked;
    position = std::min(other.offset + other.length, line_end);
    if (other.rule_id == "MOAT-SEC008") {
      position = line_end;
      break;
    }
  }
  if (position < line_end) snippet += text.substr(position, line_end - position);
  if (snippet.size() > 240) snippet.resize(240);
  while (!snippet.empty() && (snippet.back() == '\r' || snippet.back() == ' ')) snippet.pop_back();
  return snippet;
}

}  // namespace

std::string mask_secret(std::string_view secret) {
  const std::size_t shown = std::min<std::size_t>(secret.starts_with("pypi-") ? 5 : 4, secret.size() / 4);
  return std::string(secret.substr(0, shown)) + "********";
}

bool looks_binary(std::string_view data) {
  return std::memchr(data.data(), '\0', std::min<std::size_t>(data.size(), 8192)) != nullptr;
}

std::vector<SecretMatch> find_secrets(std::string_view text) {
  std::vector<SecretMatch> matches;
  const auto& patterns = compiled();
  std::unique_ptr<pcre2_match_data, MatchDataDeleter> data(pcre2_match_data_create(4, nullptr));
  for (std::size_t index = 0; index < kPatterns.size(); ++index) {
    pcre2_code* code = patterns.codes[index].get();
    if (code == nullptr) continue;
    PCRE2_SIZE start = 0;
    while (start < text.size()) {
      const int result = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), start, 0,
                                     data.get(), nullptr);
      if (result < 0) break;
      const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data.get());
      const bool has_group = result > 1 && ovector[2] != PCRE2_UNSET;
      const std::size_t begin = has_group ? ovector[2] : ovector[0];
      const std::size_t end = has_group ? ovector[3] : ovector[1];
      start = std::max<PCRE2_SIZE>(ovector[1], ovector[0] + 1);
      const std::string_view secret = text.substr(begin, end - begin);
      SecretMatch match;
      if (!valid_for(kPatterns[index], secret, text, match.confidence)) continue;
      if (kPatterns[index].validation == Validation::entropy) {
        // The pattern starts at the credential word; the name may begin before it ("NextToken").
        std::size_t name_begin = ovector[0];
        while (name_begin > 0 && (std::isalnum(static_cast<unsigned char>(text[name_begin - 1])) ||
                                  text[name_begin - 1] == '_' || text[name_begin - 1] == '-'))
          --name_begin;
        if (names_a_non_credential(text.substr(name_begin, begin - name_begin))) continue;
      }
      match.rule_id = kPatterns[index].rule_id;
      match.kind = std::string(kPatterns[index].kind);
      match.offset = begin;
      match.length = end - begin;
      match.masked = kPatterns[index].rule_id == "MOAT-SEC008" ? std::string(secret) : mask_secret(secret);
      matches.push_back(std::move(match));
    }
  }
  for (const auto& token : find_pypi_tokens(text)) {
    SecretMatch match;
    match.rule_id = "MOAT-SEC001";
    match.kind = "PyPI API token";
    match.offset = token.offset;
    match.length = token.length;
    match.masked = mask_secret(text.substr(token.offset, token.length));
    matches.push_back(std::move(match));
  }
  std::ranges::sort(matches, {}, &SecretMatch::offset);
  // A specific pattern wins over the generic assignment rule for the same bytes.
  std::vector<SecretMatch> kept;
  for (auto& match : matches) {
    const bool overlaps = std::ranges::any_of(kept, [&](const SecretMatch& other) {
      return match.offset < other.offset + other.length && other.offset < match.offset + match.length;
    });
    if (overlaps && match.rule_id == "MOAT-SEC009") continue;
    if (overlaps) std::erase_if(kept, [&](const SecretMatch& other) {
      return other.rule_id == "MOAT-SEC009" && match.offset < other.offset + other.length &&
             other.offset < match.offset + match.length;
    });
    kept.push_back(std::move(match));
  }
  // Lines and columns in one pass over the text.
  int line = 1;
  std::size_t line_start = 0, scanned = 0;
  for (auto& match : kept) {
    for (; scanned < match.offset; ++scanned)
      if (text[scanned] == '\n') {
        ++line;
        line_start = scanned + 1;
      }
    match.line = line;
    match.column = static_cast<int>(match.offset - line_start);
  }
  return kept;
}

std::vector<Finding> scan_secrets(std::string_view path, std::string_view text) {
  std::vector<Finding> findings;
  if (looks_binary(text)) return findings;
  const auto matches = find_secrets(text);
  for (const auto& match : matches) {
    const Confidence confidence = is_sample_path(path) ? Confidence::low : match.confidence;
    Finding finding = make_finding(match.rule_id, Severity::high, std::string(path),
                                   match.kind + " (" + match.masked + ")", 798, confidence);
    if (match.rule_id == "MOAT-SEC001" || match.rule_id == "MOAT-SEC008") finding.severity = Severity::critical;
    finding.location.line = match.line;
    finding.location.column = match.column;
    finding.location.end_line = match.line;
    finding.location.end_column = match.column + static_cast<int>(match.length);
    finding.snippet = masked_line(text, matches, match);
    finding.details["kind"] = match.kind;
    finding.details["masked"] = match.masked;
    if (match.rule_id == "MOAT-SEC001")
      if (auto macaroon = decode_pypi_token(text.substr(match.offset, match.length))) {
        finding.details["token_location"] = macaroon->location;
        finding.details["caveats"] = macaroon->caveats.size();
      }
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace moat::dist
