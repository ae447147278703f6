// `moat completion bash|zsh|fish`: a completion script made from moat's own command-line definition.
#include <cstdio>
#include <memory>
#include <string>

#include "moat/cli/cli_model.hpp"
#include "moat/cli/command.hpp"

namespace moat::cli {

void configure_completion_command(CLI::App& command, CommandRunner& run) {
  auto shell = std::make_shared<std::string>();
  command.add_option("SHELL", *shell, "The shell the script is for")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  command.footer(
      "Install: moat completion bash > ~/.local/share/bash-completion/completions/moat\n"
      "         moat completion zsh > \"${fpath[1]}/_moat\"\n"
      "         moat completion fish > ~/.config/fish/completions/moat.fish");
  const CLI::App* root = command.get_parent();
  run = [shell, root] {
    const CommandModel model = describe_cli(*root);
    const std::string script =
        *shell == "bash" ? bash_completion(model) : (*shell == "zsh" ? zsh_completion(model) : fish_completion(model));
    std::fwrite(script.data(), 1, script.size(), stdout);
    return static_cast<int>(kExitClean);
  };
}

}  // namespace moat::cli
