#include "moat/publish/yaml_tree.hpp"

#include <yaml.h>

#include <algorithm>
#include <map>
#include <memory>

namespace moat::publish {

namespace {

constexpr std::size_t kMaxDepth = 200;

/// libyaml counts characters, the report counts bytes: maps one to the other.
class CharacterOffsets {
 public:
  explicit CharacterOffsets(std::string_view text) {
    if (std::ranges::all_of(text, [](char c) { return static_cast<unsigned char>(c) < 0x80; })) return;
    for (std::size_t i = 0; i < text.size(); ++i)
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts_.push_back(i);
    starts_.push_back(text.size());
  }
  [[nodiscard]] std::size_t byte_offset(std::size_t character_index) const {
    if (starts_.empty()) return character_index;
    return starts_[std::min(character_index, starts_.size() - 1)];
  }

 private:
  std::vector<std::size_t> starts_;  // empty when the text is ASCII
};

struct ParserDeleter {
  void operator()(yaml_parser_t* parser) const {
    yaml_parser_delete(parser);
    delete parser;
  }
};

struct EventGuard {
  yaml_event_t event{};
  EventGuard() = default;
  EventGuard(const EventGuard&) = delete;
  EventGuard& operator=(const EventGuard&) = delete;
  ~EventGuard() { yaml_event_delete(&event); }
};

}  // namespace

bool scalar_is(const YamlNode* node, std::string_view value) {
  return node != nullptr && node->kind == NodeKind::scalar && node->value == value;
}

const YamlNode* YamlDocument::get_key(const YamlNode* mapping, std::string_view key) const {
  if (mapping == nullptr || mapping->kind != NodeKind::mapping) return nullptr;
  for (std::size_t i = 0; i + 1 < mapping->children.size(); i += 2) {
    const YamlNode& candidate = nodes_[mapping->children[i]];
    if (candidate.kind == NodeKind::scalar && candidate.value == key) return &candidate;
  }
  return nullptr;
}

const YamlNode* YamlDocument::get(const YamlNode* mapping, std::string_view key) const {
  if (mapping == nullptr || mapping->kind != NodeKind::mapping) return nullptr;
  for (std::size_t i = 0; i + 1 < mapping->children.size(); i += 2) {
    const YamlNode& candidate = nodes_[mapping->children[i]];
    if (candidate.kind == NodeKind::scalar && candidate.value == key) return &nodes_[mapping->children[i + 1]];
  }
  return nullptr;
}

Mark YamlDocument::mark_at(std::size_t offset) const {
  offset = std::min(offset, source_.size());
  auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line_index = static_cast<std::size_t>(after - line_starts_.begin()) - 1;
  return Mark{static_cast<int>(line_index) + 1, static_cast<int>(offset - line_starts_[line_index]), offset};
}

std::string_view YamlDocument::line_text(int line) const {
  if (line < 1 || static_cast<std::size_t>(line) > line_starts_.size()) return {};
  const std::size_t begin = line_starts_[static_cast<std::size_t>(line) - 1];
  std::size_t end = source_.find('\n', begin);
  if (end == std::string::npos) end = source_.size();
  std::string_view text(source_.data() + begin, end - begin);
  if (text.ends_with('\r')) text.remove_suffix(1);
  return text;
}

Result<YamlDocument> YamlDocument::parse(std::string text) {
  YamlDocument document;
  document.source_ = std::move(text);
  document.line_starts_.push_back(0);
  for (std::size_t i = 0; i < document.source_.size(); ++i)
    if (document.source_[i] == '\n') document.line_starts_.push_back(i + 1);

  // libyaml skips a byte-order mark without counting it; parse after it and shift offsets back.
  std::string_view input = document.source_;
  const std::size_t bom = input.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  input.remove_prefix(bom);
  const CharacterOffsets offsets(input);
  auto to_mark = [&](const yaml_mark_t& mark) { return document.mark_at(bom + offsets.byte_offset(mark.index)); };

  std::unique_ptr<yaml_parser_t, ParserDeleter> parser(new yaml_parser_t{});
  if (yaml_parser_initialize(parser.get()) == 0) return fail("", "could not initialise the YAML parser");
  yaml_parser_set_input_string(parser.get(), reinterpret_cast<const unsigned char*>(input.data()), input.size());

  std::vector<std::uint32_t> open;  // indices of the collections being built
  std::map<std::string, std::uint32_t, std::less<>> anchors;
  std::vector<std::string> open_anchors;  // anchor of each open collection ("" when none)
  bool have_root = false;

  auto attach = [&](std::uint32_t index) {
    if (open.empty()) {
      if (!have_root) document.root_ = index;
      have_root = true;
    } else {
      document.nodes_[open.back()].children.push_back(index);
    }
  };
  auto add_node = [&](YamlNode node) {
    document.nodes_.push_back(std::move(node));
    return static_cast<std::uint32_t>(document.nodes_.size() - 1);
  };

  for (;;) {
    EventGuard guard;
    if (yaml_parser_parse(parser.get(), &guard.event) == 0) {
      const Mark where = to_mark(parser->problem_mark);
      std::string message = "line " + std::to_string(where.line) + ", column " + std::to_string(where.column + 1) +
                            ": invalid YAML: " + (parser->problem != nullptr ? parser->problem : "parse error");
      if (parser->context != nullptr) message += std::string(" (") + parser->context + ")";
      return fail("", message);
    }
    const yaml_event_t& event = guard.event;
    switch (event.type) {
      case YAML_STREAM_END_EVENT:
      case YAML_DOCUMENT_END_EVENT:
        if (have_root || event.type == YAML_STREAM_END_EVENT) {
          if (!have_root) document.nodes_.push_back(YamlNode{});  // empty file: a null scalar
          return document;
        }
        break;
      case YAML_SCALAR_EVENT: {
        YamlNode node;
        node.value.assign(reinterpret_cast<const char*>(event.data.scalar.value), event.data.scalar.length);
        node.plain = event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        node.block = event.data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                     event.data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
        node.start = to_mark(event.start_mark);
        node.end = to_mark(event.end_mark);
        const auto index = add_node(std::move(node));
        if (event.data.scalar.anchor != nullptr)
          anchors[reinterpret_cast<const char*>(event.data.scalar.anchor)] = index;
        attach(index);
        break;
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        if (open.size() >= kMaxDepth) {
          const Mark where = to_mark(event.start_mark);
          return fail("", "line " + std::to_string(where.line) + ": YAML nested deeper than " +
                              std::to_string(kMaxDepth) + " levels");
        }
        YamlNode node;
        node.kind = event.type == YAML_SEQUENCE_START_EVENT ? NodeKind::sequence : NodeKind::mapping;
        node.start = to_mark(event.start_mark);
        const auto index = add_node(std::move(node));
        attach(index);
        open.push_back(index);
        const yaml_char_t* anchor = event.type == YAML_SEQUENCE_START_EVENT ? event.data.sequence_start.anchor
                                                                              : event.data.mapping_start.anchor;
        open_anchors.emplace_back(anchor != nullptr ? reinterpret_cast<const char*>(anchor) : "");
        break;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        if (!open.empty()) {
          document.nodes_[open.back()].end = to_mark(event.end_mark);
          // An anchor becomes usable only once its node is complete, so aliases can never form a cycle.
          if (!open_anchors.back().empty()) anchors[open_anchors.back()] = open.back();
          open.pop_back();
          open_anchors.pop_back();
        }
        break;
      case YAML_ALIAS_EVENT: {
        auto found = anchors.find(reinterpret_cast<const char*>(event.data.alias.anchor));
        if (found == anchors.end()) {
          const Mark where = to_mark(event.start_mark);
          return fail("", "line " + std::to_string(where.line) + ", column " + std::to_string(where.column + 1) +
                              ": alias to an undefined or enclosing anchor");
        }
        attach(found->second);
        break;
      }
      default:
        break;
    }
  }
}

}  // namespace moat::publish
