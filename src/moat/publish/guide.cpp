#include "moat/publish/guide.hpp"

namespace moat::publish {

std::string_view guide_example_workflow() {
  return R"(name: release

on:
  release:
    types: [published]

permissions: {}

jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2
        with:
          persist-credentials: false
      - uses: actions/setup-python@42375524e23c412d93fb67b49958b491fce71c38  # v5.4.0
        with:
          python-version: "3.12"
      - run: python -m pip install build==1.2.2.post1
      - run: python -m build
      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02  # v4.6.2
        with:
          name: dist
          path: dist/

  publish:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: pypi
      url: https://pypi.org/p/<your-project>
    permissions:
      id-token: write
    steps:
      - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093  # v4.3.0
        with:
          name: dist
          path: dist/
      - uses: pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc  # v1.12.4
)";
}

std::string publish_guide_text() {
  std::string out = R"(Publishing Python packages securely: a checklist
=================================================

1. Protect the PyPI account
   [ ] Two-factor authentication with a security key (WebAuthn: YubiKey, passkey), not only TOTP;
       PyPI requires 2FA for every account since 2024-01-01.
   [ ] Store the recovery codes offline; add a second key; use a unique password.
   [ ] At least two owners per project, each with 2FA, so no single account is the project.

2. Publish from CI with Trusted Publishing (no API token at all)
   [ ] On PyPI, project > Settings > Publishing: add a GitHub (or GitLab, Google, ActiveState)
       publisher naming the repository, the workflow file (release.yml) and the environment (pypi).
       New projects: add a "pending publisher" before the first upload.
   [ ] In GitHub, create the environment `pypi` with required reviewers and only release tags
       allowed to deploy.
   [ ] Use a workflow shaped like the one below: a build job with no privileges, a publish job
       that only downloads the artifact and uploads it, `id-token: write` in the publish job only,
       every action pinned by commit SHA, no caches, no `${{ }}` in `run:`.
   [ ] Check it: `moat workflows` (this example passes every audit).

)";
  out += "   .github/workflows/release.yml\n   ---------------------------------------------------------------\n";
  std::string_view workflow = guide_example_workflow();
  std::size_t at = 0;
  while (at < workflow.size()) {
    auto end = workflow.find('\n', at);
    if (end == std::string_view::npos) end = workflow.size();
    const auto line = workflow.substr(at, end - at);
    out += line.empty() ? "\n" : "   " + std::string(line) + "\n";
    at = end + 1;
  }
  out += R"(   ---------------------------------------------------------------
   Then delete the API tokens and CI secrets you no longer need.

3. If you must use an API token (another CI, a manual upload)
   [ ] Scope it to one project, never "Entire account"; give it an expiry where possible.
   [ ] Keep it in the system keyring (`keyring set https://upload.pypi.org/legacy/ __token__`),
       not in .pypirc, .netrc, .env or a workflow file (`moat workflows .` finds those).
   [ ] Inspect a token without revealing it: `moat token < file` or paste it into `moat token`;
       it shows the scope (user-wide or projects), the expiry and every caveat.
   [ ] Revoke tokens you no longer use; revoke at once any token that was ever committed.

4. Attestations and signatures
   [ ] Keep PEP 740 attestations on: pypa/gh-action-pypi-publish makes and uploads them with
       Trusted Publishing (do not set `attestations: false`).
   [ ] Verify what was published: `moat verify attestation DIST --publisher github:OWNER/REPO/release.yml`.
   [ ] PyPI no longer accepts PGP signatures; if you also ship signatures elsewhere, sign with
       Sigstore or `moat sign` and publish the public key out of band.

5. Reproducible, inspectable builds
   [ ] Build from a clean checkout of the release tag, with build dependencies pinned
       (`build==...`, a constraints or lock file), and SOURCE_DATE_EPOCH set from the commit date.
   [ ] Build twice (or let a second job rebuild) and compare the SHA-256 of the outputs.
   [ ] Check what you upload before it leaves: `moat scan dist/` (wheel contents, RECORD,
       metadata, bundled native libraries, secrets), then publish exactly those files.

More: https://docs.pypi.org/trusted-publishers/ , https://docs.pypi.org/attestations/ ,
https://packaging.python.org/en/latest/guides/publishing-package-distribution-releases-using-github-actions-ci-cd-workflows/
)";
  return out;
}

}  // namespace moat::publish
