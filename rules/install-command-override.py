from setuptools import setup
from setuptools.command.install import install


class PostInstall(install):
    def run(self):
        install.run(self)


setup(
    name="demo",
    cmdclass={
        # ruleid: MOAT-MAL004
        "install": PostInstall,
        # ok: MOAT-MAL004
        "test": PostInstall,
    },
)

# ruleid: MOAT-MAL004
setup(name="other", cmdclass={"develop": PostInstall})

# ok: MOAT-MAL004
setup(name="plain", version="1.0")
