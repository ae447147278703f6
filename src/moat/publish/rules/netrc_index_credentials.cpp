// MOAT-CR003: .netrc passwords for package-index hosts.
#include <fmt/format.h>

#include "moat/publish/rules/helpers.hpp"

namespace moat::publish {

namespace {

bool is_index_host(std::string_view host) {
  for (std::string_view marker : {"pypi", "devpi", "artifactory", "jfrog", "nexus", "pkgs.dev.azure.com",
                                  "pkg.dev", "gitlab", "packagecloud", "cloudsmith", "codeartifact", "fury.io"})
    if (host.find(marker) != std::string_view::npos) return true;
  return false;
}

struct Word {
  std::string_view text;
  std::size_t offset;
};

std::vector<Word> words_of(std::string_view text) {
  std::vector<Word> words;
  std::size_t at = 0;
  while (at < text.size()) {
    if (text[at] == '#') {  // comment to end of line
      at = text.find('\n', at);
      if (at == std::string_view::npos) break;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(text[at])) != 0) {
      ++at;
      continue;
    }
    std::size_t end = at;
    while (end < text.size() && std::isspace(static_cast<unsigned char>(text[end])) == 0) ++end;
    words.push_back({text.substr(at, end - at), at});
    at = end;
  }
  return words;
}

void check_file(const WorkflowRule& rule, const CredentialFile& file, FindingSink& sink) {
  if (file.kind != CredentialFileKind::netrc) return;
  const auto words = words_of(file.text);
  std::string_view machine;
  bool is_default = false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string_view word = words[i].text;
    if (word == "machine" && i + 1 < words.size()) {
      machine = words[++i].text;
      is_default = false;
    } else if (word == "default") {
      machine = {};
      is_default = true;
    } else if (word == "password" && i + 1 < words.size()) {
      const Word& value = words[++i];
      if (!is_default && !is_index_host(machine)) continue;
      const Mark start = file.mark_at(value.offset);
      sink.add(rule, start, mark_after(start, value.text.size()),
               is_default ? std::string("the `default` entry sends its password to every host, package indexes "
                                        "included; store index credentials in the keyring instead")
                          : fmt::format("`machine {}` holds a package-index password in plain text; store it in the "
                                        "keyring (pip/uv keyring support) or use Trusted Publishing for uploads",
                                        machine),
               FindingExtras().hide(start, value.text.size()).detail("machine", std::string(machine)));
    } else if (word == "macdef") {
      // A macro body runs to the next blank line; skip its words.
      const auto blank = file.text.find("\n\n", words[i].offset);
      while (i + 1 < words.size() && (blank == std::string::npos || words[i + 1].offset < blank)) ++i;
    }
  }
}

}  // namespace

const WorkflowRule& netrc_index_credentials_rule() {
  static const WorkflowRule rule{
      .doc = {
          .id = "MOAT-CR003",
          .title = "netrc-index-credentials",
          .what = "Finds `.netrc` / `_netrc` entries with a password for a package-index host (PyPI, devpi, "
                  "Artifactory, Nexus, Azure Artifacts, Google Artifact Registry, GitLab, ...) and `default` "
                  "entries with a password.",
          .why = "pip, uv, twine and requests read `.netrc` automatically. A copy in a project or image leaks "
                 "the index password; a `default` entry hands it to every host contacted, including a typo-squatted "
                 "index URL.",
          .example = "machine upload.pypi.org login __token__ password pypi-AgEI...\n",
          .fix = "Remove the entry and revoke the credential; keep it in the keyring (`keyring set <url> <user>`) "
                 "and publish from CI with Trusted Publishing.",
          .references = "https://pip.pypa.io/en/stable/topics/authentication/#netrc-support\n"
                        "https://www.gnu.org/software/inetutils/manual/html_node/The-_0024HOME_002f_002enetrc-file.html",
      },
      .severity = Severity::high,
      .confidence = Confidence::medium,
      .cwe = 256,
      .category = Category::secret,
      .credentials = check_file,
  };
  return rule;
}

}  // namespace moat::publish
