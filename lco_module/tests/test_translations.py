from pathlib import Path

import polib

from odoo.modules.module import get_manifest, get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

I18N = Path(__file__).resolve().parent.parent / "i18n"
# The modules of the repository: each has its own i18n/ folder.
MODULES = tuple(
    sorted(path.parent.name for path in I18N.parents[1].glob("*/__manifest__.py"))
)


class TranslationCompleteness:
    """Every term of every module of the repository has a translation in
    ``i18n/<po_name>``."""

    po_name = None
    language = None

    def _own_modules(self, module="lco_module"):
        """The module and the modules it depends on, however far down."""
        modules, todo = set(), [module]
        while todo:
            name = todo.pop()
            if name not in modules:
                modules.add(name)
                todo.extend(get_manifest(name).get("depends", ()))
        return modules

    def _is_own_term(self, name, xmlid, own_modules):
        """Whether a term of the addon's export is the addon's own.

        The export also lists the fields other installed modules add to the
        addon's models (``rating`` adds Ratings to every mail.thread): their
        translations are those modules' business, not this addon's."""
        if name.startswith(("ir.model.fields,", "ir.model.fields.selection,")):
            record = self.env.ref(xmlid, raise_if_not_found=False)
            if record and record._name == "ir.model.fields.selection":
                record = record.field_id
            if record and record.model in self.env:
                field = self.env[record.model]._fields.get(record.name)
                return not field or bool(own_modules.intersection(field._modules))
        return True

    def _missing(self, module):
        """The terms of ``module`` without a translation in its po file."""
        own_modules = self._own_modules(module)
        sources = {
            source
            for term_module, _type, name, res_id, source, _value, _comments in (
                TranslationModuleReader(self.env.cr, modules=[module])
            )
            if term_module == module and self._is_own_term(name, res_id, own_modules)
        }
        self.assertTrue(sources, f"the exporter found the terms of {module}")
        po_file = Path(get_module_path(module)) / "i18n" / self.po_name
        self.assertTrue(po_file.exists(), f"{module} has i18n/{self.po_name}")
        translations = {
            entry.msgid: entry.msgstr
            for entry in polib.pofile(str(po_file))
            if not entry.obsolete and "fuzzy" not in entry.flags
        }
        return sources, sorted(s for s in sources if not translations.get(s))

    def _assert_complete(self):
        installed = self.env["ir.module.module"].search(
            [("name", "in", MODULES), ("state", "=", "installed")]
        )
        self.assertIn("lco_module", installed.mapped("name"))
        for module in installed.mapped("name"):
            sources, missing = self._missing(module)
            if module == "lco_module":
                self.assertGreater(len(sources), 100, "the exporter found the terms")
            self.assertFalse(
                missing,
                f"Terms of {module} without {self.language} translation in "
                f"i18n/{self.po_name} (run `make pot`, then translate):\n"
                + "\n".join(missing),
            )


@tagged("post_install", "-at_install")
class TestDutchTranslation(TranslationCompleteness, TransactionCase):
    """Dutch is the users' language: every term the addon shows has it."""

    po_name = "nl.po"
    language = "Dutch"

    def test_every_term_has_a_dutch_translation(self):
        self._assert_complete()

    def test_dutch_user_sees_dutch_labels(self):
        self.env["res.lang"]._activate_lang("nl_BE")
        self.env["ir.module.module"].search(
            [("name", "=", "lco_module")]
        )._update_translations("nl_BE", overwrite=True)
        case_nl = self.env["lco.case"].with_context(lang="nl_BE")
        self.assertEqual(
            case_nl._fields["pivot_id"]._description_string(case_nl.env), "Spilfiguur"
        )
        states = dict(case_nl._fields["state"]._description_selection(case_nl.env))
        self.assertEqual(states["active"], "Actief")
        menu = self.env.ref("lco_module.menu_lco_root").with_context(lang="nl_BE")
        self.assertEqual(menu.name, "Cliëntoverleg")
        housing = self.env.ref("lco_module.life_domain_housing").with_context(
            lang="nl_BE"
        )
        self.assertEqual(housing.name, "Huisvesting")


@tagged("post_install", "-at_install")
class TestFrenchTranslation(TranslationCompleteness, TransactionCase):
    """French for the CPAS: every term of every module has it."""

    po_name = "fr.po"
    language = "French"

    def test_every_term_has_a_french_translation(self):
        self._assert_complete()

    def test_french_user_sees_french_labels(self):
        self.env["res.lang"]._activate_lang("fr_BE")
        self.env["ir.module.module"]._load_module_terms(
            ["lco_module"], ["fr_BE"], overwrite=True
        )
        case_fr = self.env["lco.case"].with_context(lang="fr_BE")
        self.assertEqual(
            case_fr._fields["pivot_id"]._description_string(case_fr.env),
            "Personne de référence",
        )
        menu = self.env.ref("lco_module.menu_lco_root").with_context(lang="fr_BE")
        self.assertEqual(menu.name, "Concertation")
