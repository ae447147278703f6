// `moat guide publish`: the secure-publishing checklist in the terminal.
#include <cstdio>
#include <memory>
#include <string>

#include "moat/cli/command.hpp"
#include "moat/publish/guide.hpp"

namespace moat::cli {

void configure_guide_command(CLI::App& command, CommandRunner& run) {
  auto topic = std::make_shared<std::string>();
  command.add_option("TOPIC", *topic, "The guide to print")->required()->check(CLI::IsMember({"publish"}));
  run = [topic] {
    const std::string text = publish::publish_guide_text();
    std::fwrite(text.data(), 1, text.size(), stdout);
    return static_cast<int>(kExitClean);
  };
}

}  // namespace moat::cli
