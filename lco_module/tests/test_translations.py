from pathlib import Path

import polib

from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

I18N = Path(__file__).resolve().parent.parent / "i18n"


@tagged("post_install", "-at_install")
class TestDutchTranslation(TransactionCase):
    """Dutch is the users' language: every term the addon shows has it."""

    def _own_modules(self):
        """The addon and the modules it depends on, however far down."""
        modules, todo = set(), ["lco_module"]
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

    def test_every_term_has_a_dutch_translation(self):
        own_modules = self._own_modules()
        sources = {
            source
            for module, _type, name, res_id, source, _value, _comments in (
                TranslationModuleReader(self.env.cr, modules=["lco_module"])
            )
            if module == "lco_module" and self._is_own_term(name, res_id, own_modules)
        }
        self.assertGreater(len(sources), 100, "the exporter found the addon's terms")
        translations = {
            entry.msgid: entry.msgstr
            for entry in polib.pofile(str(I18N / "nl.po"))
            if not entry.obsolete and "fuzzy" not in entry.flags
        }
        missing = sorted(source for source in sources if not translations.get(source))
        self.assertFalse(
            missing,
            "Terms without Dutch translation in i18n/nl.po (run `make pot`, then "
            "translate):\n" + "\n".join(missing),
        )

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
