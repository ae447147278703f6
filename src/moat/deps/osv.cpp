#include "moat/deps/osv.hpp"

#include <yaml.h>

#include <algorithm>

namespace moat::deps {

namespace {

using nlohmann::json;

std::string string_field(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return {};
  if (found->is_string()) return found->get<std::string>();
  return found->dump();
}

std::vector<std::string> string_list(const json& object, const char* key) {
  std::vector<std::string> values;
  const auto found = object.find(key);
  if (found == object.end() || !found->is_array()) return values;
  for (const auto& item : *found)
    if (item.is_string()) values.push_back(item.get<std::string>());
    else if (item.is_number()) values.push_back(item.dump());
  return values;
}

/// Converts a libyaml document node; every scalar stays the raw text ("1.10" never becomes a
/// float). `budget` bounds the output so alias expansion cannot blow up.
Result<json> convert_yaml(yaml_document_t& document, yaml_node_t* node, int depth, std::size_t& budget) {
  if (node == nullptr) return json(nullptr);
  if (depth > 64 || budget == 0) return fail("", "YAML document nested too deeply or too large");
  --budget;
  switch (node->type) {
    case YAML_SCALAR_NODE:
      return json(std::string(reinterpret_cast<const char*>(node->data.scalar.value), node->data.scalar.length));
    case YAML_SEQUENCE_NODE: {
      json array = json::array();
      for (auto* item = node->data.sequence.items.start; item < node->data.sequence.items.top; ++item) {
        auto value = convert_yaml(document, yaml_document_get_node(&document, *item), depth + 1, budget);
        if (!value) return value;
        array.push_back(std::move(*value));
      }
      return array;
    }
    case YAML_MAPPING_NODE: {
      json object = json::object();
      for (auto* pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; ++pair) {
        yaml_node_t* key = yaml_document_get_node(&document, pair->key);
        if (key == nullptr || key->type != YAML_SCALAR_NODE) return fail("", "YAML mapping key is not a scalar");
        auto value = convert_yaml(document, yaml_document_get_node(&document, pair->value), depth + 1, budget);
        if (!value) return value;
        object[std::string(reinterpret_cast<const char*>(key->data.scalar.value), key->data.scalar.length)] =
            std::move(*value);
      }
      return object;
    }
    default:
      return json(nullptr);
  }
}

struct ParsedEvent {
  RangeEvent::Kind kind;
  std::optional<Version> version;  // nullopt for introduced "0" (the lowest)
};

/// Events with parsed versions sorted ascending ("0" first); nullopt when one does not parse.
std::optional<std::vector<ParsedEvent>> sorted_events(const AffectedRange& range) {
  std::vector<ParsedEvent> events;
  const bool prepared = range.parsed_values.size() == range.events.size();
  for (std::size_t index = 0; index < range.events.size(); ++index) {
    const auto& event = range.events[index];
    if (event.kind == RangeEvent::Kind::limit) continue;
    if (event.kind == RangeEvent::Kind::introduced && event.value == "0") {
      events.push_back(ParsedEvent{event.kind, std::nullopt});
      continue;
    }
    auto version = prepared ? range.parsed_values[index] : Version::parse(event.value);
    if (!version) return std::nullopt;
    events.push_back(ParsedEvent{event.kind, std::move(version)});
  }
  std::ranges::stable_sort(events, [](const ParsedEvent& a, const ParsedEvent& b) {
    if (!a.version) return b.version.has_value();
    if (!b.version) return false;
    return *a.version < *b.version;
  });
  return events;
}

bool evaluable(const AffectedRange& range) { return range.type == "ECOSYSTEM" || range.type == "SEMVER"; }

bool below_limits(const AffectedRange& range, const Version& version, bool& indeterminate) {
  bool has_limit = false;
  for (const auto& event : range.events) {
    if (event.kind != RangeEvent::Kind::limit) continue;
    has_limit = true;
    if (event.value.find('*') != std::string::npos) return true;
    const auto limit = Version::parse(event.value);
    if (!limit) {
      indeterminate = true;
      continue;
    }
    if (version < *limit) return true;
  }
  return !has_limit;
}

}  // namespace

Result<json> yaml_to_json(std::string_view text) {
  yaml_parser_t parser;
  if (yaml_parser_initialize(&parser) == 0) return fail("", "cannot initialise the YAML parser");
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  yaml_document_t document;
  if (yaml_parser_load(&parser, &document) == 0) {
    std::string message = std::string("invalid YAML: ") + (parser.problem ? parser.problem : "parse error") + " at line " +
                          std::to_string(parser.problem_mark.line + 1);
    yaml_parser_delete(&parser);
    return fail("", message);
  }
  std::size_t budget = 1'000'000;
  auto converted = convert_yaml(document, yaml_document_get_root_node(&document), 0, budget);
  yaml_document_delete(&document);
  yaml_parser_delete(&parser);
  return converted;
}

Result<Advisory> advisory_from_json(const json& record) {
  if (!record.is_object()) return fail("", "an OSV record must be an object");
  Advisory advisory;
  advisory.id = string_field(record, "id");
  if (advisory.id.empty()) return fail("", "OSV record without an id");
  advisory.modified = string_field(record, "modified");
  advisory.published = string_field(record, "published");
  advisory.withdrawn = string_field(record, "withdrawn");
  advisory.summary = string_field(record, "summary");
  advisory.details = string_field(record, "details");
  advisory.aliases = string_list(record, "aliases");
  if (const auto severity = record.find("severity"); severity != record.end() && severity->is_array())
    for (const auto& item : *severity)
      if (item.is_object()) advisory.severity.push_back(string_field(item, "score"));
  if (const auto references = record.find("references"); references != record.end() && references->is_array())
    for (const auto& item : *references)
      if (item.is_object() && item.contains("url")) advisory.references.push_back(string_field(item, "url"));
  if (const auto specific = record.find("database_specific"); specific != record.end())
    advisory.database_specific = *specific;
  const auto affected = record.find("affected");
  if (affected == record.end() || !affected->is_array()) return advisory;
  for (const auto& entry : *affected) {
    if (!entry.is_object() || !entry.contains("package") || !entry["package"].is_object()) continue;
    const json& package = entry["package"];
    if (string_field(package, "ecosystem") != "PyPI") continue;
    AffectedPackage parsed;
    parsed.name = normalize_name(string_field(package, "name"));
    if (parsed.name.empty()) continue;
    parsed.versions = string_list(entry, "versions");
    if (const auto specific = entry.find("ecosystem_specific"); specific != entry.end())
      parsed.ecosystem_specific = *specific;
    if (const auto ranges = entry.find("ranges"); ranges != entry.end() && ranges->is_array()) {
      for (const auto& range : *ranges) {
        if (!range.is_object()) continue;
        AffectedRange parsed_range;
        parsed_range.type = string_field(range, "type");
        if (const auto events = range.find("events"); events != range.end() && events->is_array()) {
          for (const auto& event : *events) {
            if (!event.is_object()) continue;
            // An empty event ({}) is skipped, never fatal (uv#19492).
            for (const auto& [key, value] : event.items()) {
              RangeEvent parsed_event;
              if (key == "introduced") parsed_event.kind = RangeEvent::Kind::introduced;
              else if (key == "fixed") parsed_event.kind = RangeEvent::Kind::fixed;
              else if (key == "last_affected") parsed_event.kind = RangeEvent::Kind::last_affected;
              else if (key == "limit") parsed_event.kind = RangeEvent::Kind::limit;
              else continue;
              parsed_event.value = value.is_string() ? value.get<std::string>() : value.dump();
              parsed_range.events.push_back(std::move(parsed_event));
            }
          }
        }
        parsed.ranges.push_back(std::move(parsed_range));
      }
    }
    parsed.prepare();
    advisory.affected.push_back(std::move(parsed));
  }
  return advisory;
}

MatchOutcome match_ranges(const AffectedPackage& entry, const Version& version) {
  MatchOutcome outcome;
  for (const auto& range : entry.ranges) {
    if (!evaluable(range)) continue;  // GIT ranges need a checkout: skipped, not a stop
    const auto events = sorted_events(range);
    if (!events) {
      outcome.indeterminate = true;
      continue;
    }
    bool vulnerable = false;
    for (const auto& event : *events) {
      switch (event.kind) {
        case RangeEvent::Kind::introduced:
          if (!event.version || *event.version <= version) vulnerable = true;
          break;
        case RangeEvent::Kind::fixed:
          if (*event.version <= version) vulnerable = false;
          break;
        case RangeEvent::Kind::last_affected:
          if (*event.version < version) vulnerable = false;
          break;
        case RangeEvent::Kind::limit:
          break;
      }
    }
    if (vulnerable && below_limits(range, version, outcome.indeterminate)) {
      outcome.affected = true;
      return outcome;
    }
  }
  return outcome;
}

std::string version_key(const Version& version) {
  Version trimmed = version;
  trimmed.release = version.trimmed_release();
  return trimmed.to_string();
}

std::string version_key(std::string_view text) {
  const auto version = Version::parse(text);
  return version ? version_key(*version) : std::string(text);
}

std::string version_keys_of(const std::vector<std::string>& versions) {
  std::string keys = "\n";
  for (const auto& listed : versions) keys += version_key(listed) + "\n";
  return keys;
}

void AffectedPackage::prepare() {
  parsed_versions.clear();
  parsed_versions.reserve(versions.size());
  for (const auto& listed : versions) parsed_versions.push_back(Version::parse(listed));
  for (auto& range : ranges) {
    range.parsed_values.clear();
    for (const auto& event : range.events) range.parsed_values.push_back(Version::parse(event.value));
  }
}

MatchOutcome match_version(const AffectedPackage& entry, std::string_view raw_version, const Version* version) {
  if (!entry.version_keys.empty()) {
    // Keyed lookup: no listed version is parsed.
    auto listed = [&](const std::string& key) { return entry.version_keys.find("\n" + key + "\n") != std::string::npos; };
    if (listed(std::string(raw_version)) || (version != nullptr && listed(version_key(*version))))
      return MatchOutcome{true, false};
    if (version == nullptr) return MatchOutcome{false, std::ranges::any_of(entry.ranges, evaluable)};
    return match_ranges(entry, *version);
  }
  const bool prepared = entry.parsed_versions.size() == entry.versions.size();
  for (std::size_t index = 0; index < entry.versions.size(); ++index) {
    if (entry.versions[index] == raw_version) return MatchOutcome{true, false};
    if (version == nullptr) continue;
    const auto parsed = prepared ? entry.parsed_versions[index] : Version::parse(entry.versions[index]);
    if (parsed && *parsed == *version) return MatchOutcome{true, false};
  }
  if (version == nullptr) {
    const bool has_ranges = std::ranges::any_of(entry.ranges, evaluable);
    return MatchOutcome{false, has_ranges};
  }
  return match_ranges(entry, *version);
}

bool specifier_may_be_affected(const AffectedPackage& entry, const SpecifierSet& specifier) {
  for (std::size_t index = 0; index < entry.versions.size(); ++index) {
    const bool prepared = entry.parsed_versions.size() == entry.versions.size() && entry.parsed_versions[index];
    const Candidate candidate = prepared ? Candidate{entry.versions[index], entry.parsed_versions[index], false}
                                         : Candidate::from_text(entry.versions[index]);
    if (specifier.contains(candidate, true)) return true;
  }
  for (const auto& range : entry.ranges) {
    if (!evaluable(range)) continue;
    const auto events = sorted_events(range);
    if (!events) return true;  // cannot rule it out
    // The walk's state is constant between consecutive event versions: build the affected intervals.
    Intervals affected;
    bool vulnerable = false;
    std::optional<LowerBound> open;
    for (const auto& event : *events) {
      const bool before = vulnerable;
      if (event.kind == RangeEvent::Kind::introduced) vulnerable = true;
      else if (event.kind == RangeEvent::Kind::fixed || event.kind == RangeEvent::Kind::last_affected) vulnerable = false;
      if (before == vulnerable) continue;
      const std::optional<VersionPoint> point =
          event.version ? std::optional<VersionPoint>(VersionPoint{*event.version, VersionPoint::Kind::exact}) : std::nullopt;
      if (vulnerable) {
        open = LowerBound{point, true};
      } else if (open) {
        affected.push_back(Interval{*open, UpperBound{point, event.kind == RangeEvent::Kind::last_affected}});
        open.reset();
      }
    }
    if (open) affected.push_back(Interval{*open, UpperBound{}});
    for (const auto& interval : affected)
      if (!intersect_intervals({interval}, specifier.intervals()).empty()) return true;
  }
  return false;
}

std::vector<Version> fixed_versions(const AffectedPackage& entry, const Version* installed) {
  std::vector<Version> fixes;
  for (const auto& range : entry.ranges) {
    if (!evaluable(range)) continue;
    for (const auto& event : range.events) {
      if (event.kind != RangeEvent::Kind::fixed) continue;
      auto version = Version::parse(event.value);
      if (!version || (installed != nullptr && *version <= *installed)) continue;
      if (std::ranges::find(fixes, *version) == fixes.end()) fixes.push_back(std::move(*version));
    }
  }
  std::ranges::sort(fixes);
  return fixes;
}

}  // namespace moat::deps
