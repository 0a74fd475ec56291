"""The MkDocs adapter: asks the core for pages and adds them as generated files. Kept small on purpose."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .pages import build_pages, navigation
from .project import load_settings
from .site_inputs import deck_dir, gather, read_deck_manifest
from .validate import load_corpus


class KbConfig(Config):
    """Options of the `kb` plugin in mkdocs.yml."""

    related = config_options.Type(bool, default=True)


class KbPlugin(BasePlugin[KbConfig]):
    """Generates every page of the wiki from the concept files."""

    def on_config(self, config: Any) -> Any:
        """Load and validate the concepts, render the pages and set the navigation."""
        self.settings = load_settings(Path(config.config_file_path).parent)
        corpus = load_corpus(self.settings.root, self.settings.concepts_dir)
        if corpus.problems:
            shown = "\n".join(str(p) for p in corpus.problems[:50])
            raise PluginError(f"kb check found {len(corpus.problems)} problem(s):\n{shown}")
        inputs = gather(self.settings, corpus, with_related=self.config.related)
        self.pages = build_pages(corpus, inputs)
        self.decks, _ = read_deck_manifest(self.settings)
        config.nav = navigation(corpus)
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        """Add the generated pages and the built decks to the site."""
        for path, markdown in self.pages.items():
            files.append(File.generated(config, path, content=markdown))
        for deck in self.decks:
            files.append(File.generated(config, f"downloads/{deck.file}", abs_src_path=str(deck_dir(self.settings) / deck.file)))
        return files

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        """Rebuild when a concept file changes under `mkdocs serve`."""
        server.watch(str(self.settings.concepts_dir))
        return server
