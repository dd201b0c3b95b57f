from django import forms

from .filters import CUSTOMER_FILTERS
from .models import Contact, Customer, ServiceAgreement


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = [
            "code",
            "name",
            "tier",
            "agent",
            "province",
            "city",
            "mailing_address",
            "postal_code",
            "phone",
            "notes",
            "is_active",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "phone", "email", "is_primary"]


class AgreementForm(forms.ModelForm):
    class Meta:
        model = ServiceAgreement
        fields = ["reference", "valid_from", "valid_to", "warranty_months", "warranty_km", "notes"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


CustomerFilterForm = CUSTOMER_FILTERS.form
