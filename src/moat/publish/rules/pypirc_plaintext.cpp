// MOAT-CR001: a .pypirc holding a password or API token in plain text.
#include <fmt/format.h>

#include "moat/publish/rules/helpers.hpp"
#include "moat/publish/rules/secrets.hpp"

namespace moat::publish {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) text.remove_suffix(1);
  return text;
}

void check_file(const WorkflowRule& rule, const CredentialFile& file, FindingSink& sink) {
  if (file.kind != CredentialFileKind::pypirc) return;
  std::string section;
  for (std::size_t index = 0; index < file.line_starts.size(); ++index) {
    const std::string_view line = file.line(index);
    const std::string_view content = trim(line);
    if (content.empty() || content.front() == '#' || content.front() == ';') continue;
    if (content.front() == '[') {
      section = std::string(content.substr(1, content.find(']') - 1));
      continue;
    }
    const auto separator = content.find_first_of("=:");
    if (separator == std::string_view::npos || trim(content.substr(0, separator)) != "password") continue;
    const std::string_view value = trim(content.substr(separator + 1));
    if (value.empty()) continue;
    const std::size_t offset = file.line_starts[index] + static_cast<std::size_t>(value.data() - line.data());
    const Mark start = file.mark_at(offset);
    const bool token = value.starts_with("pypi-");
    sink.add(rule, start, mark_after(start, value.size()),
             fmt::format("section [{}] holds {} in plain text; store it in the system keyring (`keyring set "
                         "https://upload.pypi.org/legacy/ __token__`) or publish from CI with Trusted Publishing",
                         section, token ? "a PyPI API token" : "an index password"),
             FindingExtras().hide(start, value.size()).detail("section", section));
  }
}

}  // namespace

const WorkflowRule& pypirc_plaintext_rule() {
  static const WorkflowRule rule{
      .doc = {
          .id = "MOAT-CR001",
          .title = "pypirc-plaintext-credential",
          .what = "Finds `password =` entries in a `.pypirc` (an API token or a password for an index), reported "
                  "without repeating the secret.",
          .why = "A `.pypirc` in a project directory ends up in commits, sdists, backups and container images. "
                 "PyPI tokens are often user-wide and non-expiring: whoever reads the file can publish every "
                 "project of the account.",
          .example = "[pypi]\n"
                     "username = __token__\n"
                     "password = pypi-AgEIcHlwaS5vcmc...\n",
          .fix = "[pypi]\n"
                 "username = __token__\n"
                 "# no password: twine reads it from the keyring\n"
                 "Store the token with `keyring set https://upload.pypi.org/legacy/ __token__`, scope it to one "
                 "project, or stop using tokens: publish from CI with Trusted Publishing. Revoke the exposed token.",
          .references = "https://packaging.python.org/en/latest/specifications/pypirc/\n"
                        "https://twine.readthedocs.io/en/stable/#keyring-support\n"
                        "https://pypi.org/help/#apitoken",
      },
      .severity = Severity::high,
      .confidence = Confidence::high,
      .cwe = 256,
      .category = Category::secret,
      .credentials = check_file,
  };
  return rule;
}

}  // namespace moat::publish
