#include <cstdio>
#include <map>
#include <string>

#include "moat/cli/command.hpp"
#include "moat/cli/version.hpp"

namespace moat::cli {

void configure_not_built_yet(CLI::App& command, CommandRunner& run, const char* tracking_issue) {
  command.allow_extras();
  command.prefix_command();
  const std::string name = command.get_name();
  const std::string issue = tracking_issue;
  run = [name, issue] {
    std::fprintf(stderr, "moat %s: not built yet (tracked in issue %s)\n", name.c_str(), issue.c_str());
    return static_cast<int>(kExitFailure);
  };
}

namespace {

/// A repeatable option takes one value per occurrence, so `--exclude GLOB PATH` keeps PATH a path.
void one_value_per_occurrence(CLI::App& command) {
  for (CLI::Option* option : command.get_options())
    if (!option->get_positional() && option->get_items_expected_max() > 1) option->allow_extra_args(false);
  for (CLI::App* subcommand : command.get_subcommands({})) one_value_per_occurrence(*subcommand);
}

}  // namespace

int run_moat(int argc, char** argv) {
  CLI::App app{"moat: a fast, offline-first security gate for Python code and packages", "moat"};
  app.set_version_flag("-V,--version", version_text,
                       "Print the version, commit, rule set and advisory database, then exit");
  app.require_subcommand(1);
  app.fallthrough(false);

  std::map<const CLI::App*, CommandRunner> runners;
#define MOAT_COMMAND(name, summary)                          \
  {                                                          \
    CLI::App* command = app.add_subcommand(#name, summary);  \
    configure_##name##_command(*command, runners[command]);  \
  }
#include "moat/cli/commands.def"
#undef MOAT_COMMAND
  one_value_per_occurrence(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& success) {
    return app.exit(success);
  } catch (const CLI::ParseError& error) {
    app.exit(error);
    return kExitFailure;
  }
  for (const CLI::App* chosen : app.get_subcommands()) {
    auto found = runners.find(chosen);
    if (found != runners.end() && found->second) return found->second();
  }
  std::fputs("moat: no command given (see moat --help)\n", stderr);
  return kExitFailure;
}

}  // namespace moat::cli
