#include "moat/sign/hash_pins.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "moat/sign/crypto.hpp"
#include "moat/sign/distribution_name.hpp"
#include "moat/util/file.hpp"

namespace moat::sign {

namespace {

namespace fs = std::filesystem;

constexpr int kMaxIncludeDepth = 8;
constexpr std::string_view kStrongHashes[] = {"sha256", "sha384", "sha512"};  // what pip accepts

std::string trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

/// Logical lines: backslash continuations joined, comments dropped; each with its first line number.
std::vector<std::pair<int, std::string>> logical_lines(std::string_view text) {
  std::vector<std::pair<int, std::string>> lines;
  std::string current;
  int line_number = 0;
  int start_line = 1;
  std::size_t position = 0;
  while (position <= text.size()) {
    std::size_t end = text.find('\n', position);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(position, end - position));
    ++line_number;
    position = end + 1;
    if (current.empty()) start_line = line_number;
    if (const std::size_t hash = line.find('#');
        hash != std::string::npos && (hash == 0 || line[hash - 1] == ' ' || line[hash - 1] == '\t'))
      line.resize(hash);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line.back() == '\\') {
      line.pop_back();
      current += line + " ";
      continue;
    }
    current += line;
    if (std::string trimmed = trim(current); !trimmed.empty()) lines.emplace_back(start_line, std::move(trimmed));
    current.clear();
  }
  return lines;
}

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::size_t position = 0;
  while ((position = text.find_first_not_of(" \t", position)) != std::string::npos) {
    const std::size_t end = text.find_first_of(" \t", position);
    out.push_back(text.substr(position, end - position));
    position = end;
  }
  return out;
}

Result<std::vector<HashPin>> parse_pins(std::string_view text, const std::string& source, const fs::path& base_dir,
                                        int depth);

Result<void> parse_line(const std::string& line, const std::string& location, const fs::path& base_dir, int depth,
                        std::vector<HashPin>& pins) {
  std::vector<std::string> tokens = words(line);
  if (tokens.front() == "-r" || tokens.front() == "--requirement" || tokens.front().starts_with("--requirement=") ||
      (tokens.front().starts_with("-r") && tokens.front().size() > 2)) {
    std::string target;
    if (tokens.front().starts_with("--requirement=")) target = tokens.front().substr(14);
    else if (tokens.front().starts_with("-r") && tokens.front().size() > 2) target = tokens.front().substr(2);
    else if (tokens.size() > 1) target = tokens[1];
    if (target.empty()) return fail(location, "-r without a file");
    if (depth >= kMaxIncludeDepth) return fail(location, "requirement files nested too deeply");
    const fs::path included = base_dir / target;
    auto included_text = read_file(included);
    if (!included_text) return std::unexpected(included_text.error());
    auto included_pins = parse_pins(*included_text, included.string(), included.parent_path(), depth + 1);
    if (!included_pins) return std::unexpected(included_pins.error());
    pins.insert(pins.end(), included_pins->begin(), included_pins->end());
    return {};
  }
  if (tokens.front() == "-e" || tokens.front() == "--editable")
    return fail(location, "editable requirements cannot be hash-checked (pip refuses them with --require-hashes)");
  if (tokens.front().starts_with("-")) return {};  // index options and the like do not affect hashes

  HashPin pin;
  pin.location = location;
  std::string requirement;
  for (std::size_t index = 0; index < tokens.size(); ++index) {
    std::string hash;
    if (tokens[index].starts_with("--hash=")) hash = tokens[index].substr(7);
    else if (tokens[index] == "--hash" && index + 1 < tokens.size()) hash = tokens[++index];
    else if (tokens[index].starts_with("--")) continue;
    else {
      requirement += (requirement.empty() ? "" : " ") + tokens[index];
      continue;
    }
    const std::size_t colon = hash.find(':');
    if (colon == std::string::npos) return fail(location, "--hash needs ALGORITHM:HEX");
    std::string digest = hash.substr(colon + 1);
    std::transform(digest.begin(), digest.end(), digest.begin(), [](unsigned char c) { return std::tolower(c); });
    pin.hashes.emplace_back(hash.substr(0, colon), digest);
  }
  if (const std::size_t semicolon = requirement.find(';'); semicolon != std::string::npos) {
    pin.has_marker = true;
    requirement.resize(semicolon);
  }
  // NAME [EXTRAS] SPECIFIER: only the name and an exact == / === pin matter here.
  std::string_view rest = requirement;
  std::size_t name_end = 0;
  while (name_end < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[name_end])) != 0 ||
                                    rest[name_end] == '-' || rest[name_end] == '_' || rest[name_end] == '.'))
    ++name_end;
  if (name_end == 0) return fail(location, "cannot read requirement '" + requirement + "'");
  pin.project = normalize_project_name(rest.substr(0, name_end));
  std::string specifier = trim(rest.substr(name_end));
  if (specifier.starts_with('[')) {
    const std::size_t close = specifier.find(']');
    if (close == std::string::npos) return fail(location, "unclosed extras in '" + requirement + "'");
    specifier = trim(std::string_view(specifier).substr(close + 1));
  }
  if (specifier.starts_with("@")) {
    pin.direct_url = true;
  } else if (specifier.starts_with("==")) {
    const std::string pinned = trim(std::string_view(specifier).substr(specifier.starts_with("===") ? 3 : 2));
    if (!pinned.empty() && pinned.find_first_of(" \t,*") == std::string::npos) {
      auto version = normalize_version(pinned);
      pin.version = version ? *version : pinned;
    }
  }
  pins.push_back(std::move(pin));
  return {};
}

Result<std::vector<HashPin>> parse_pins(std::string_view text, const std::string& source, const fs::path& base_dir,
                                        int depth) {
  std::vector<HashPin> pins;
  for (const auto& [line_number, line] : logical_lines(text))
    if (auto parsed = parse_line(line, source + ":" + std::to_string(line_number), base_dir, depth, pins); !parsed)
      return std::unexpected(parsed.error());
  return pins;
}

}  // namespace

Result<std::vector<HashPin>> parse_hash_pins(std::string_view text, const std::string& source, const fs::path& base_dir) {
  return parse_pins(text, source, base_dir, 0);
}

Result<std::vector<HashPin>> read_hash_pins(const fs::path& requirements) {
  auto text = read_file(requirements);
  if (!text) return std::unexpected(text.error());
  return parse_pins(*text, requirements.string(), requirements.parent_path(), 0);
}

Result<HashCheck> check_hash_pins(const std::vector<HashPin>& pins, const fs::path& dist_dir) {
  std::error_code error;
  if (!fs::is_directory(dist_dir, error)) return fail(dist_dir.string(), "not a directory");
  HashCheck check;
  for (const HashPin& pin : pins) {
    if (pin.hashes.empty())
      check.problems.push_back({pin.location, pin.project + " has no --hash (pip --require-hashes refuses it)"});
    else if (pin.version.empty() && !pin.direct_url)
      check.problems.push_back({pin.location, pin.project + " is not pinned with == (pip --require-hashes refuses it)"});
    for (const auto& [algorithm, digest] : pin.hashes)
      if (std::find(std::begin(kStrongHashes), std::end(kStrongHashes), algorithm) == std::end(kStrongHashes))
        check.problems.push_back({pin.location, "--hash algorithm '" + algorithm + "' is not one pip accepts (sha256, sha384, sha512)"});
  }

  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dist_dir, error))
    if (entry.is_regular_file()) files.push_back(entry.path());
  if (error) return fail(dist_dir.string(), error.message());
  std::sort(files.begin(), files.end());

  std::map<const HashPin*, bool> pin_has_file;
  for (const fs::path& file : files) {
    const std::string name = file.filename().string();
    auto distribution = parse_distribution_name(name);
    if (!distribution) continue;  // signatures, checksums and other non-distribution files
    std::vector<const HashPin*> candidates;
    for (const HashPin& pin : pins)
      if (pin.project == distribution->project) candidates.push_back(&pin);
    if (candidates.empty()) {
      check.problems.push_back({file.string(), "no requirement pins " + distribution->project + " (unpinned file)"});
      continue;
    }
    const HashPin* pin = nullptr;
    for (const HashPin* candidate : candidates)
      if (candidate->direct_url || candidate->version == distribution->version) pin = candidate;
    if (pin == nullptr) {
      check.problems.push_back({file.string(), "version " + distribution->version + " is not the pinned ==" +
                                                   candidates.front()->version + " (" + candidates.front()->location + ")"});
      continue;
    }
    pin_has_file[pin] = true;
    if (pin->hashes.empty()) continue;  // already reported
    auto bytes = read_file(file);
    if (!bytes) {
      check.problems.push_back(bytes.error());
      continue;
    }
    bool matched = false;
    std::map<std::string, std::string> computed;
    for (const auto& [algorithm, digest] : pin->hashes) {
      if (!computed.contains(algorithm)) computed[algorithm] = hex_encode(digest_by_name(algorithm, *bytes));
      matched = matched || (!computed[algorithm].empty() && computed[algorithm] == digest);
    }
    if (matched) {
      check.verified.push_back(file.string());
    } else {
      const std::string sha256_hex = hex_encode(as_bytes(sha256(*bytes)));
      check.problems.push_back({file.string(), "sha256 " + sha256_hex + " matches none of the " +
                                                   std::to_string(pin->hashes.size()) + " --hash pins of " +
                                                   pin->project + " (" + pin->location + ")"});
    }
  }
  for (const HashPin& pin : pins)
    if (!pin_has_file[&pin] && !pin.has_marker && !pin.hashes.empty())
      check.problems.push_back({pin.location, pin.project + (pin.version.empty() ? "" : "==" + pin.version) +
                                                  " has no distribution file in " + dist_dir.string()});
  return check;
}

}  // namespace moat::sign
