#include "moat/cli/command.hpp"

namespace moat::cli {

void configure_audit_command(CLI::App& command, CommandRunner& run) {
  configure_not_built_yet(command, run, "5");
}

}  // namespace moat::cli
