#include "moat/dist/wheel.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fnmatch.h>
#include <set>
#include <unordered_map>

#include "moat/dist/metadata.hpp"
#include "moat/dist/rules.hpp"

namespace moat::dist {

namespace {

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(separator, start), text.size());
    parts.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string_view first_component(std::string_view path) { return path.substr(0, path.find('/')); }

bool is_identifier(std::string_view text) {
  static constexpr std::array<std::string_view, 35> kKeywords{
      "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
      "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
      "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield"};
  if (text.empty() || std::isdigit(static_cast<unsigned char>(text.front()))) return false;
  // Non-ASCII letters are valid in identifiers; only ASCII is judged here.
  if (!std::ranges::all_of(text, [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
      }))
    return false;
  return std::ranges::find(kKeywords, text) == kKeywords.end();
}

bool has_suffix(std::string_view path, std::initializer_list<std::string_view> suffixes) {
  return std::ranges::any_of(suffixes, [&](std::string_view suffix) { return path.ends_with(suffix); });
}

bool is_extension_module(std::string_view path) { return has_suffix(path, {".so", ".pyd"}); }
bool is_python_module(std::string_view path) { return has_suffix(path, {".py", ".pyi"}) || is_extension_module(path); }

/// The module name of a file: "mod" for mod.py, mod.pyi and mod.cpython-311-x86_64-linux-gnu.so.
std::string_view module_stem(std::string_view file_name) { return file_name.substr(0, file_name.find('.')); }

bool decodes_as_digest(std::string_view digest, std::string_view algorithm) {
  std::string bytes;
  if (!std::ranges::all_of(digest, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }))
    return false;
  if (!decode_base64(digest, bytes)) return false;
  const std::size_t expected = algorithm == "sha256" ? 32 : algorithm == "sha384" ? 48 : algorithm == "sha512" ? 64 : bytes.size();
  return bytes.size() == expected;
}

bool is_record_signature(std::string_view path, std::string_view record_path) {
  return path == record_path || path == std::string(record_path) + ".jws" || path == std::string(record_path) + ".p7s";
}

/// The library-relative path of a wheel member: purelib/platlib members of the .data directory are
/// mapped to the root; .dist-info and other .data schemes are not library files.
std::optional<std::string> library_path(std::string_view path) {
  const std::string_view top = first_component(path);
  if (top.ends_with(".dist-info")) return std::nullopt;
  if (top.ends_with(".data")) {
    for (std::string_view scheme : {"purelib/", "platlib/"}) {
      const std::string prefix = std::string(top) + "/" + std::string(scheme);
      if (path.starts_with(prefix)) return std::string(path.substr(prefix.size()));
    }
    return std::nullopt;
  }
  return std::string(path);
}

}  // namespace

Result<WheelFilename> parse_wheel_filename(std::string_view file_name) {
  const std::string name(std::filesystem::path(std::string(file_name)).filename().string());
  if (!name.ends_with(".whl")) return fail(name, "a wheel file name ends with .whl");
  const auto parts = split(std::string_view(name).substr(0, name.size() - 4), '-');
  if (parts.size() != 5 && parts.size() != 6)
    return fail(name, "expected {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl");
  WheelFilename parsed;
  parsed.name = parts[0];
  parsed.version = parts[1];
  if (parts.size() == 6) {
    parsed.build = parts[2];
    if (parsed.build.empty() || !std::isdigit(static_cast<unsigned char>(parsed.build.front())))
      return fail(name, "build tag '" + parsed.build + "' must start with a digit");
  }
  if (!is_valid_project_name(parsed.name) || parsed.name.find('-') != std::string::npos)
    return fail(name, "'" + parsed.name + "' is not a valid distribution name");
  if (!is_valid_version(parsed.version)) return fail(name, "'" + parsed.version + "' is not a valid PEP 440 version");
  const std::size_t tags_at = parts.size() - 3;
  parsed.python_tags = split(parts[tags_at], '.');
  parsed.abi_tags = split(parts[tags_at + 1], '.');
  parsed.platform_tags = split(parts[tags_at + 2], '.');
  for (const auto* tags : {&parsed.python_tags, &parsed.abi_tags, &parsed.platform_tags})
    for (const auto& tag : *tags)
      if (tag.empty() || !std::ranges::all_of(tag, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }))
        return fail(name, "invalid compatibility tag '" + tag + "'");
  return parsed;
}

RecordParse parse_record(std::string_view text) {
  RecordParse parsed;
  std::size_t position = 0;
  int line = 0;
  while (position < text.size()) {
    ++line;
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (; position < text.size(); ++position) {
      const char character = text[position];
      if (quoted) {
        if (character == '"') {
          if (position + 1 < text.size() && text[position + 1] == '"') {
            fields.back().push_back('"');
            ++position;
          } else {
            quoted = false;
          }
        } else {
          fields.back().push_back(character);
        }
      } else if (character == '"' && fields.back().empty()) {
        quoted = true;
      } else if (character == ',') {
        fields.emplace_back();
      } else if (character == '\n') {
        ++position;
        break;
      } else if (character != '\r') {
        fields.back().push_back(character);
      }
    }
    if (fields.size() == 1 && fields[0].empty()) continue;
    if (fields.size() != 3) {
      parsed.problems.push_back("line " + std::to_string(line) + ": expected 3 fields (path,hash,size), found " +
                                std::to_string(fields.size()));
      continue;
    }
    RecordRow row;
    row.path = fields[0];
    row.line = line;
    if (!fields[1].empty()) {
      const std::size_t equals = fields[1].find('=');
      if (equals == std::string::npos) {
        parsed.problems.push_back("line " + std::to_string(line) + ": hash '" + fields[1] + "' is not algorithm=digest");
        continue;
      }
      row.algorithm = fields[1].substr(0, equals);
      row.digest = fields[1].substr(equals + 1);
    }
    if (!fields[2].empty()) {
      if (!std::ranges::all_of(fields[2], [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }) ||
          fields[2].size() > 19) {
        parsed.problems.push_back("line " + std::to_string(line) + ": size '" + fields[2] + "' is not a number");
        continue;
      }
      row.size = std::stoull(fields[2]);
    }
    parsed.rows.push_back(std::move(row));
  }
  return parsed;
}

RecordVerification verify_record(std::string_view record_text, std::string_view record_path,
                                 std::span<const EntryInfo> entries) {
  RecordVerification result;
  const RecordParse parsed = parse_record(record_text);
  using Kind = RecordProblem::Kind;
  for (const auto& problem : parsed.problems)
    result.problems.push_back({Kind::malformed, std::string(record_path), "RECORD " + problem});

  std::unordered_map<std::string_view, const EntryInfo*> files;
  for (const auto& entry : entries)
    if (entry.type != EntryType::directory) files.emplace(entry.path, &entry);

  std::unordered_map<std::string_view, int> listed;
  result.rows = parsed.rows.size();
  for (const auto& row : parsed.rows) {
    const std::string at = "RECORD line " + std::to_string(row.line) + ": ";
    if (!listed.emplace(row.path, row.line).second) {
      result.problems.push_back({Kind::malformed, row.path, at + "'" + row.path + "' is listed twice"});
      continue;
    }
    if (row.path.empty() || row.path.starts_with('/') || (row.path.size() > 1 && row.path[1] == ':') ||
        row.path.find('\\') != std::string::npos ||
        std::ranges::any_of(split(row.path, '/'), [](const std::string& part) { return part == ".." || part == "."; })) {
      result.problems.push_back({Kind::malformed, row.path, at + "path '" + row.path + "' is not a normalized relative path"});
      continue;
    }
    const auto found = files.find(row.path);
    if (found == files.end()) {
      result.problems.push_back({Kind::missing_from_archive, row.path, at + "'" + row.path + "' is not in the wheel"});
      continue;
    }
    if (row.algorithm.empty()) {
      if (!is_record_signature(row.path, record_path))
        result.problems.push_back({Kind::malformed, row.path, at + "'" + row.path + "' has no hash"});
      continue;
    }
    if (row.algorithm == "md5" || row.algorithm == "sha1" || row.algorithm == "sha224") {
      result.problems.push_back({Kind::malformed, row.path, at + "weak hash algorithm " + row.algorithm + " for '" + row.path + "'"});
      continue;
    }
    if (row.algorithm != "sha256" && row.algorithm != "sha384" && row.algorithm != "sha512") {
      result.problems.push_back({Kind::malformed, row.path, at + "unknown hash algorithm '" + row.algorithm + "'"});
      continue;
    }
    if (!decodes_as_digest(row.digest, row.algorithm)) {
      result.problems.push_back({Kind::malformed, row.path,
                                 at + "digest of '" + row.path + "' is not URL-safe base64 without padding of a " +
                                     row.algorithm + " hash"});
      continue;
    }
    const EntryInfo& entry = *found->second;
    if (!entry.complete) continue;  // cut short by a limit or corrupt data: reported elsewhere
    bool matched = true;
    if (row.size && *row.size != entry.size) {
      result.problems.push_back({Kind::size_mismatch, row.path,
                                 "'" + row.path + "' is " + std::to_string(entry.size) + " bytes, RECORD says " +
                                     std::to_string(*row.size)});
      matched = false;
    }
    if (row.algorithm == "sha256") {
      const std::string actual = to_urlsafe_base64_nopad(
          std::string_view(reinterpret_cast<const char*>(entry.sha256.data()), entry.sha256.size()));
      if (actual != row.digest) {
        result.problems.push_back({Kind::hash_mismatch, row.path,
                                   "sha256 of '" + row.path + "' is " + actual + ", RECORD says " + row.digest});
        matched = false;
      }
    }
    if (matched && row.algorithm == "sha256") ++result.verified;
  }
  for (const auto& entry : entries) {
    if (entry.type == EntryType::directory || is_record_signature(entry.path, record_path)) continue;
    if (!listed.contains(entry.path))
      result.problems.push_back({Kind::not_in_record, entry.path, "'" + entry.path + "' is in the wheel but not in RECORD"});
  }
  return result;
}

Result<RecordVerification> verify_wheel_record(const std::filesystem::path& wheel, const ArchiveLimits& limits) {
  std::map<std::string, std::string> records;
  auto contents = read_archive_file(wheel, limits, [&](const EntryInfo& entry, std::string_view data, bool buffered) {
    const std::size_t slash = entry.path.find('/');
    if (buffered && slash != std::string::npos && entry.path.substr(slash) == "/RECORD" &&
        std::string_view(entry.path).substr(0, slash).ends_with(".dist-info"))
      records.emplace(entry.path, std::string(data));
  });
  if (!contents) return std::unexpected(contents.error());
  if (contents->stopped_by_limit) return fail(wheel.string(), contents->findings.back().message);
  if (!contents->errors.empty()) return fail(wheel.string(), contents->errors.front().message);
  if (records.empty()) return fail(wheel.string(), "no .dist-info/RECORD in the wheel");
  if (records.size() > 1) return fail(wheel.string(), "more than one .dist-info/RECORD in the wheel");
  const auto& [record_path, record_text] = *records.begin();
  return verify_record(record_text, record_path, contents->entries);
}

bool wheel_keeps(std::string_view path) {
  const std::size_t slash = path.find('/');
  if (path.ends_with(".pth")) return true;
  return slash != std::string_view::npos && path.substr(0, slash).ends_with(".dist-info") &&
         path.find('/', slash + 1) == std::string_view::npos;
}

namespace {

class WheelChecker {
 public:
  WheelChecker(const ArchiveContents& contents, const std::map<std::string, std::string>& kept,
               std::string_view file_name, const WheelOptions& options)
      : m_contents(contents), m_kept(kept), m_file_name(file_name), m_options(options) {}

  std::vector<Finding> run() {
    check_filename();
    const std::string dist_info = check_dist_info();
    if (!dist_info.empty()) {
      check_wheel_file(dist_info);
      check_record(dist_info);
      check_metadata(dist_info);
    }
    check_pth_files();
    check_contents();
    return std::move(m_findings);
  }

 private:
  std::string at(std::string_view path) const { return inside(m_contents.display_name, path); }

  void add(std::string_view rule, Severity severity, std::string location, std::string message) {
    m_findings.push_back(make_finding(rule, severity, std::move(location), std::move(message)));
  }

  const std::string* kept(const std::string& path) const {
    const auto found = m_kept.find(path);
    return found == m_kept.end() ? nullptr : &found->second;
  }

  void check_filename() {
    auto parsed = parse_wheel_filename(m_file_name);
    if (!parsed) {
      add("MOAT-D001", Severity::medium, m_contents.display_name, parsed.error().message);
      return;
    }
    m_name = std::move(*parsed);
  }

  std::string check_dist_info() {
    std::set<std::string> dist_infos, datas;
    for (const auto& entry : m_contents.entries) {
      const std::string_view top = first_component(entry.path);
      if (top.size() == entry.path.size()) continue;  // a file at the root
      if (top.ends_with(".dist-info")) dist_infos.emplace(top);
      if (top.ends_with(".data")) datas.emplace(top);
    }
    if (dist_infos.empty()) {
      add("MOAT-D002", Severity::high, m_contents.display_name, "the wheel has no .dist-info directory");
      return {};
    }
    if (dist_infos.size() > 1) {
      std::string names;
      for (const auto& name : dist_infos) names += (names.empty() ? "" : ", ") + name;
      add("MOAT-D002", Severity::high, m_contents.display_name, "the wheel has several .dist-info directories: " + names);
    }
    const std::string dist_info = *dist_infos.begin();
    const std::string stem = dist_info.substr(0, dist_info.size() - 10);
    const std::size_t dash = stem.rfind('-');
    if (dash == std::string::npos) {
      add("MOAT-D002", Severity::medium, at(dist_info), "'" + dist_info + "' is not {name}-{version}.dist-info");
    } else if (m_name) {
      const std::string name = stem.substr(0, dash), version = stem.substr(dash + 1);
      if (normalize_project_name(name) != normalize_project_name(m_name->name) || !versions_equal(version, m_name->version))
        add("MOAT-D001", Severity::high, at(dist_info),
            "'" + dist_info + "' does not match the file name's " + m_name->name + "-" + m_name->version);
    }
    for (const auto& data : datas) {
      if (data.substr(0, data.size() - 5) != stem)
        add("MOAT-D002", Severity::medium, at(data), "'" + data + "' does not match '" + dist_info + "'");
    }
    for (const auto& entry : m_contents.entries) {
      const std::string_view top = first_component(entry.path);
      if (!top.ends_with(".data") || top.size() == entry.path.size()) continue;
      const std::string_view scheme = first_component(std::string_view(entry.path).substr(top.size() + 1));
      static constexpr std::array<std::string_view, 5> kSchemes{"purelib", "platlib", "scripts", "headers", "data"};
      if (std::ranges::find(kSchemes, scheme) == kSchemes.end() && m_bad_schemes.insert(std::string(scheme)).second)
        add("MOAT-D002", Severity::medium, at(entry.path), "unknown install scheme '" + std::string(scheme) + "' in .data");
    }
    return dist_info;
  }

  void check_wheel_file(const std::string& dist_info) {
    const std::string path = dist_info + "/WHEEL";
    const std::string* text = kept(path);
    if (text == nullptr) {
      add("MOAT-D003", Severity::high, at(dist_info), "the wheel has no " + path);
      return;
    }
    const CoreMetadata wheel = parse_core_metadata(*text);
    const auto version = wheel.get("Wheel-Version");
    if (!version) add("MOAT-D003", Severity::high, at(path), "Wheel-Version is missing");
    else if (!version->starts_with("1.")) add("MOAT-D003", Severity::high, at(path), "Wheel-Version " + *version + " is not 1.x");
    const auto purelib = wheel.get("Root-Is-Purelib");
    if (!purelib || (*purelib != "true" && *purelib != "false"))
      add("MOAT-D003", Severity::medium, at(path), "Root-Is-Purelib must be true or false");
    if (!m_name) return;
    std::set<std::string> expected, declared;
    for (const auto& python : m_name->python_tags)
      for (const auto& abi : m_name->abi_tags)
        for (const auto& platform : m_name->platform_tags) expected.insert(python + "-" + abi + "-" + platform);
    for (const auto& tag : wheel.get_all("Tag")) declared.insert(tag);
    if (!declared.empty() && declared != expected)
      add("MOAT-D003", Severity::medium, at(path), "Tag lines in WHEEL do not match the file name's tags");
    if (wheel.get("Build").value_or("") != m_name->build)
      add("MOAT-D003", Severity::low, at(path), "the Build field does not match the file name's build tag");
  }

  void check_record(const std::string& dist_info) {
    const std::string path = dist_info + "/RECORD";
    const std::string* text = kept(path);
    if (text == nullptr) {
      add("MOAT-D004", Severity::high, at(dist_info), "the wheel has no " + path);
      return;
    }
    const RecordVerification verification = verify_record(*text, path, m_contents.entries);
    using Kind = RecordProblem::Kind;
    for (const auto& problem : verification.problems) {
      switch (problem.kind) {
        case Kind::malformed: add("MOAT-D005", Severity::medium, at(path), problem.message); break;
        case Kind::hash_mismatch:
        case Kind::size_mismatch: add("MOAT-D006", Severity::high, at(problem.path), problem.message); break;
        case Kind::not_in_record: add("MOAT-D007", Severity::high, at(problem.path), problem.message); break;
        case Kind::missing_from_archive: add("MOAT-D008", Severity::medium, at(path), problem.message); break;
      }
    }
  }

  void check_metadata(const std::string& dist_info) {
    const std::string path = dist_info + "/METADATA";
    const std::string* text = kept(path);
    if (text == nullptr) {
      add("MOAT-M001", Severity::high, at(dist_info), "the wheel has no " + path);
      return;
    }
    MetadataContext context;
    context.location = at(path);
    context.artifact_location = m_contents.display_name;
    if (m_name) {
      context.expected_name = m_name->name;
      context.expected_version = m_name->version;
    }
    std::set<std::string_view> paths;
    for (const auto& entry : m_contents.entries) paths.insert(entry.path);
    context.has_license_file = [&](std::string_view license) {
      return paths.contains(dist_info + "/licenses/" + std::string(license));
    };
    auto findings = check_core_metadata(parse_core_metadata(*text), context);
    std::ranges::move(findings, std::back_inserter(m_findings));
  }

  void check_pth_files() {
    for (const auto& [path, text] : m_kept) {
      if (!path.ends_with(".pth")) continue;
      int line_number = 0;
      std::size_t start = 0;
      while (start < text.size()) {
        std::size_t end = std::min(text.find('\n', start), text.size());
        const std::string_view line = std::string_view(text).substr(start, end - start);
        ++line_number;
        if (line.starts_with("import ") || line.starts_with("import\t")) {
          Finding finding = make_finding("MOAT-D009", Severity::medium, at(path),
                                         "'" + path + "' runs code at every interpreter start-up", 94);
          finding.location.line = line_number;
          finding.snippet = std::string(line.substr(0, 200));
          m_findings.push_back(std::move(finding));
        }
        start = end + 1;
      }
    }
  }

  void check_contents() {
    std::vector<std::pair<std::string, const EntryInfo*>> library;
    bool anything_outside_dist_info = false;
    std::vector<std::string> bytecode;
    std::map<Sha256, std::vector<std::string>> by_digest;
    for (const auto& entry : m_contents.entries) {
      if (entry.type == EntryType::directory) continue;
      const bool in_dist_info = first_component(entry.path).ends_with(".dist-info") &&
                                first_component(entry.path).size() != entry.path.size();
      if (!in_dist_info) anything_outside_dist_info = true;
      if (has_suffix(entry.path, {".pyc", ".pyo"})) bytecode.push_back(entry.path);
      if (!in_dist_info && entry.type == EntryType::file && entry.size > 0 && entry.complete)
        by_digest[entry.sha256].push_back(entry.path);
      if (auto path = library_path(entry.path)) library.emplace_back(std::move(*path), &entry);
    }
    if (!bytecode.empty()) {
      add("MOAT-W001", Severity::low, at(bytecode.front()),
          std::to_string(bytecode.size()) + " compiled bytecode file(s) in the wheel");
      for (const auto& path : bytecode) m_findings.back().details["files"].push_back(path);
    }
    for (const auto& [digest, paths] : by_digest) {
      if (paths.size() < 2) continue;
      std::string list;
      for (const auto& path : paths) list += (list.empty() ? "" : ", ") + path;
      add("MOAT-W002", Severity::low, at(paths.front()), "identical files: " + list);
    }
    if (!anything_outside_dist_info) {
      add("MOAT-W008", Severity::medium, m_contents.display_name, "the wheel contains nothing besides .dist-info");
      return;
    }
    if (library.empty()) {
      add("MOAT-W007", Severity::medium, m_contents.display_name, "purelib/platlib contain no files");
      return;
    }
    static constexpr std::array<std::string_view, 15> kCommonNames{
        ".eggs", ".nox", ".tox", ".venv", "build", "data", "dist", "doc", "docs", "example", "examples", "src",
        "test", "tests", "venv"};
    std::map<std::string, bool> toplevel_has_modules;  // top-level name -> contains a module (dirs)
    std::set<std::string> toplevel_names;
    for (const auto& [path, entry] : library) {
      const std::string_view top = first_component(path);
      const bool is_file_at_top = top.size() == path.size();
      if (is_file_at_top) {
        if (path == "__init__.py") add("MOAT-W006", Severity::medium, at(entry->path), "__init__.py at the library top level");
        if (!is_python_module(path) && !path.ends_with(".pth"))
          add("MOAT-W003", Severity::low, at(entry->path), "non-module file '" + path + "' at the library top level");
        if (!path.ends_with(".pth")) toplevel_names.insert(std::string(module_stem(path)));
      } else {
        auto& has_modules = toplevel_has_modules[std::string(top)];
        has_modules = has_modules || is_python_module(path);
        toplevel_names.insert(std::string(top));
      }
      if (is_python_module(path) && !top.ends_with("-stubs")) {
        const auto parts = split(path, '/');
        bool valid = std::ranges::all_of(parts.begin(), parts.end() - 1, [](const std::string& part) { return is_identifier(part); });
        valid = valid && is_identifier(module_stem(parts.back()));
        if (!valid) add("MOAT-W004", Severity::low, at(entry->path), "'" + path + "' is not an importable module path");
      }
    }
    for (const auto& [name, has_modules] : toplevel_has_modules)
      if (!has_modules && !name.ends_with("-stubs"))
        add("MOAT-W010", Severity::low, at(name), "top-level directory '" + name + "' contains no Python modules");
    if (m_options.package_tree) compare_with_package_tree(library);
    const bool declared = !m_options.toplevel.empty() || m_options.package_tree.has_value();
    for (const auto& name : toplevel_names) {
      if (!declared && std::ranges::find(kCommonNames, name) != kCommonNames.end())
        add("MOAT-W005", Severity::medium, at(name), "common name '" + name + "' installed at the library top level");
    }
    if (declared) {
      for (const auto& name : m_options.toplevel)
        if (!toplevel_names.contains(name))
          add("MOAT-W201", Severity::medium, m_contents.display_name, "declared top-level '" + name + "' is missing");
      for (const auto& name : toplevel_names)
        if (std::ranges::find(m_options.toplevel, name) == m_options.toplevel.end())
          add("MOAT-W202", Severity::medium, at(name), "undeclared top-level entry '" + name + "'");
    } else {
      const auto counted = std::ranges::count_if(toplevel_names, [](const std::string& name) { return !name.starts_with('_'); });
      if (counted > 1) {
        std::string list;
        for (const auto& name : toplevel_names) list += (list.empty() ? "" : ", ") + name;
        add("MOAT-W009", Severity::low, m_contents.display_name, "several top-level library entries: " + list);
      }
    }
  }

  /// W101: package-tree files the wheel's library lacks; W102: library files not in the tree.
  void compare_with_package_tree(const std::vector<std::pair<std::string, const EntryInfo*>>& library) {
    const std::set<std::string>& tree = *m_options.package_tree;
    std::set<std::string_view> shipped;
    for (const auto& [path, entry] : library) {
      if (entry->type != EntryType::file && entry->type != EntryType::symlink) continue;
      shipped.insert(path);
      if (!tree.contains(path))
        add("MOAT-W102", Severity::medium, at(entry->path), "'" + path + "' is not in the package tree");
    }
    for (const auto& path : tree)
      if (!shipped.contains(path))
        add("MOAT-W101", Severity::medium, m_contents.display_name, "package-tree file '" + path + "' is not in the wheel");
  }

  const ArchiveContents& m_contents;
  const std::map<std::string, std::string>& m_kept;
  std::string_view m_file_name;
  const WheelOptions& m_options;
  std::optional<WheelFilename> m_name;
  std::set<std::string> m_bad_schemes;
  std::vector<Finding> m_findings;
};

}  // namespace

std::vector<std::string> default_package_omit() { return {".*", "CVS", "RCS", "*.pyc", "*.pyo", "*.egg-info"}; }

Result<std::set<std::string>> collect_package_tree(const std::vector<std::filesystem::path>& packages,
                                                   const std::vector<std::filesystem::path>& src_dirs,
                                                   const std::vector<std::string>& omit) {
  namespace fs = std::filesystem;
  const auto omitted = [&](const fs::path& path) {
    const std::string name = path.filename().string();
    return std::ranges::any_of(omit, [&](const std::string& pattern) { return ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0; });
  };
  std::set<std::string> tree;
  std::map<std::string, std::string> top_from;  // top-level name -> the input that added it
  // Adds `root` (a file or a directory with everything below it) under the library path `prefix`.
  const auto add_entry = [&](const fs::path& root, const std::string& prefix, const std::string& input) -> Result<void> {
    if (omitted(root)) return {};
    const auto [found, inserted] = top_from.emplace(prefix, input);
    if (!inserted)
      return fail(input, "adds '" + prefix + "' to the package tree, but " + found->second + " already did");
    std::error_code error;
    if (!fs::is_directory(root, error)) {
      tree.insert(prefix);
      return {};
    }
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (omitted(it->path())) {
        if (it->is_directory(error)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(error))
        tree.insert(prefix + "/" + it->path().lexically_relative(root).generic_string());
    }
    if (error) return fail(root.string(), error.message());
    return {};
  };
  for (const auto& package : packages) {
    std::error_code error;
    if (!fs::exists(package, error)) return fail(package.string(), "no such file or directory (--package)");
    const fs::path normal = package.lexically_normal();
    const fs::path named = normal.has_filename() ? normal : normal.parent_path();
    if (auto added = add_entry(package, named.filename().string(), "--package " + package.string()); !added)
      return std::unexpected(added.error());
  }
  for (const auto& directory : src_dirs) {
    std::error_code error;
    if (!fs::is_directory(directory, error)) return fail(directory.string(), "not a directory (--src-dir)");
    for (const auto& entry : fs::directory_iterator(directory, error))
      if (auto added = add_entry(entry.path(), entry.path().filename().string(), "--src-dir " + directory.string()); !added)
        return std::unexpected(added.error());
    if (error) return fail(directory.string(), error.message());
  }
  return tree;
}

std::vector<Finding> check_wheel(const ArchiveContents& contents, const std::map<std::string, std::string>& kept,
                                 std::string_view file_name, const WheelOptions& options) {
  return WheelChecker(contents, kept, file_name, options).run();
}

}  // namespace moat::dist
