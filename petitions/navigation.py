from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PETITIONS = _("信访")
DISPUTES = pgettext_lazy("menu", "矛盾纠纷")  # a short form in English: one menu row

NAV = [
    (PETITIONS, _("信访事件"), "petitions:petition_list", "kaohe.view_village"),
    (PETITIONS, _("来访接待登记"), "petitions:reception_list", "kaohe.view_village"),
    (PETITIONS, _("信访人包保登记"), "petitions:baobao_list", "kaohe.view_village"),
    (DISPUTES, _("报送排查报告"), "petitions:portal", "kaohe.submit_report"),
    (DISPUTES, _("矛盾纠纷台账"), "petitions:dispute_list", "kaohe.view_village"),
    (DISPUTES, _("排查报告"), "petitions:report_list", "kaohe.view_village"),
    (DISPUTES, _("化解卷宗"), "petitions:dossier_list", "kaohe.view_village"),
    (DISPUTES, _("疑似未上报纠纷核查"), "petitions:candidate_list", "kaohe.change_records"),
]
