#include "moat/cli/cli_model.hpp"

#include <algorithm>
#include <cctype>

namespace moat::cli {

namespace {

std::string upper(std::string text) {
  std::ranges::transform(text, text.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  std::ranges::replace(text, '-', '_');
  return text;
}

/// The values an IsMember check accepts: CLI11 describes it as "{a,b,c}" in the type name.
std::vector<std::string> choices_of(const CLI::Option& option) {
  const std::string type = option.get_type_name();
  const auto open = type.find('{');
  const auto close = type.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return {};
  std::vector<std::string> choices;
  std::string_view list(type.data() + open + 1, close - open - 1);
  while (!list.empty()) {
    const auto comma = list.find(',');
    choices.emplace_back(list.substr(0, comma));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return choices;
}

}  // namespace

std::string CommandModel::path_text() const {
  std::string text;
  for (const auto& part : path) text += (text.empty() ? "" : " ") + part;
  return text;
}

namespace {

CommandModel describe(const CLI::App& app, std::vector<std::string> path) {
  CommandModel model;
  model.path = std::move(path);
  model.description = app.get_description();
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) continue;
    if (option->nonpositional()) {
      OptionModel described;
      for (const auto& name : option->get_snames()) described.names.push_back("-" + name);
      for (const auto& name : option->get_lnames()) described.names.push_back("--" + name);
      if (option->get_type_size_max() > 0) {
        described.value_name = option->get_lnames().empty() ? "VALUE" : upper(option->get_lnames().front());
        described.choices = choices_of(*option);
      }
      described.description = option->get_description();
      model.options.push_back(std::move(described));
    } else if (option->get_positional()) {
      model.positionals.push_back({upper(option->get_name()), choices_of(*option), option->get_description(),
                                   option->get_items_expected_max() > 1, option->get_required()});
    }
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* candidate) {
         return !candidate->get_name().empty() && !candidate->get_group().empty();
       })) {
    auto sub_path = model.path;
    sub_path.push_back(sub->get_name());
    model.subcommands.push_back(describe(*sub, std::move(sub_path)));
  }
  return model;
}

}  // namespace

CommandModel describe_cli(const CLI::App& app) { return describe(app, {app.get_name()}); }

}  // namespace moat::cli
