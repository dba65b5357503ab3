from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

I18N = Path(__file__).resolve().parent.parent / "i18n"


@tagged("post_install", "-at_install")
class TestDutchTranslation(TransactionCase):
    """Dutch is the users' language: every term the addon shows has it."""

    def test_every_term_has_a_dutch_translation(self):
        sources = {
            source
            for module, _type, _name, _res_id, source, _value, _comments in (
                TranslationModuleReader(self.env.cr, modules=["lco_module"])
            )
            if module == "lco_module"
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
