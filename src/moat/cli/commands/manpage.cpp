// `moat manpage`: moat(1) in roff, made from the command-line definition. The build runs it to
// make the installed man page; hidden from --help because users read the result with `man moat`.
#include <cstdio>
#include <string>

#include "moat/cli/cli_model.hpp"
#include "moat/cli/command.hpp"

namespace moat::cli {

void configure_manpage_command(CLI::App& command, CommandRunner& run) {
  command.group("");
  const CLI::App* root = command.get_parent();
  run = [root] {
    const std::string page = man_page(describe_cli(*root), MOAT_VERSION);
    std::fwrite(page.data(), 1, page.size(), stdout);
    return static_cast<int>(kExitClean);
  };
}

}  // namespace moat::cli
