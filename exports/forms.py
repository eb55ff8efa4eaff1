from django import forms
from django.utils.translation import gettext_lazy as _

from .importing import check_upload


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件(.xlsx)"),
        help_text=_("第1行为列标题;可先下载空白模板。上传后先预览,确认后才导入。"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.cleaned_data["data"] = check_upload(upload)
        return upload
