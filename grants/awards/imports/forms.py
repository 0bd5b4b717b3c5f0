"""The upload form: one file, read and checked as it is uploaded, so a file that cannot be read
comes back on the form with the reason."""

from django import forms

from grants.awards.forms import GovForm
from grants.core.uploads import size_label

from .reading import MAX_BYTES


class ImportUploadForm(GovForm):
    submit_label = "Upload and check"
    file = forms.FileField(
        label="History file",
        help_text=f"An Excel workbook (.xlsx) or, for awards only, a CSV file, smaller than {size_label(MAX_BYTES)}",
        error_messages={"required": "Choose a file to upload", "empty": "The selected file is empty"},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout("file")
