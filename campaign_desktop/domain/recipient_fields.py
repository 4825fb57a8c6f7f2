"""The recipient schema as the import, the export and the GUI see it (spec §8).

One catalogue, so that mapping guesses, reconciliation keys, the profile form and the
export column picker all agree on names, labels and types. The storage layer builds its
``recipients`` table columns from the same names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FieldType(StrEnum):
    """Value types a column or a destination field can hold."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class RecipientField:
    """A destination field of the recipient schema.

    Attributes:
        name: the column name in the database and in templates (snake_case).
        label: the English label shown in Campaign ("Last name").
        xpath: Campaign's xpath ("@lastName"), shown beside the label so users recognise it.
        type: the value type.
        length: maximum length for text fields.
        aliases: other header spellings that mean this field (French labels, xpaths, usual
            CSV headers); used by "Guess the destination fields".
        enum: allowed values -> labels for closed enumerations (gender, email format).
        key_candidate: whether the field may be a reconciliation key.
        importable: False for fields the engine maintains itself (created, modified, id).
    """

    name: str
    label: str
    xpath: str
    type: FieldType = FieldType.TEXT
    length: int | None = None
    aliases: tuple[str, ...] = ()
    enum: dict[int, str] = field(default_factory=dict)
    key_candidate: bool = False
    importable: bool = True


GENDER_LABELS = {0: "Not specified", 1: "Male", 2: "Female"}
EMAIL_FORMAT_LABELS = {0: "Unknown", 1: "Text", 2: "HTML"}

RECIPIENT_FIELDS: tuple[RecipientField, ...] = (
    RecipientField("id", "Primary key", "@id", FieldType.INTEGER, key_candidate=True, importable=False,
                   aliases=("internal id", "identifiant interne")),
    RecipientField("email", "Email", "@email", FieldType.TEXT, 128, key_candidate=True,
                   aliases=("e-mail", "e mail", "mail", "email address", "e-mail address", "courriel",
                            "adresse email", "adresse e-mail", "adresse mail", "adresse électronique")),
    RecipientField("email_format", "E-mail format", "@emailFormat", FieldType.INTEGER,
                   aliases=("format e-mail", "format email"), enum=EMAIL_FORMAT_LABELS),
    RecipientField("first_name", "First name", "@firstName", FieldType.TEXT, 30,
                   aliases=("firstname", "given name", "forename", "prénom", "prenom")),
    RecipientField("last_name", "Last name", "@lastName", FieldType.TEXT, 50,
                   aliases=("lastname", "surname", "family name", "name", "nom", "nom de famille")),
    RecipientField("middle_name", "Middle name", "@middleName", FieldType.TEXT, 30,
                   aliases=("second prénom", "deuxième prénom")),
    RecipientField("salutation", "Salutation", "@salutation", FieldType.TEXT, 30,
                   aliases=("title", "civility", "civilité", "civilite")),
    RecipientField("account", "Account #", "@account", FieldType.TEXT, 30, key_candidate=True,
                   aliases=("account number", "account no", "account id", "customer id", "crm id", "crmid",
                            "numéro de compte", "numero de compte", "n° de compte", "compte")),
    RecipientField("company", "Company", "@company", FieldType.TEXT, 80,
                   aliases=("organisation", "organization", "société", "societe", "entreprise")),
    RecipientField("birth_date", "Birth date", "@birthDate", FieldType.DATE,
                   aliases=("birthdate", "date of birth", "dob", "birthday", "date de naissance",
                            "naissance")),
    RecipientField("gender", "Gender", "@gender", FieldType.INTEGER,
                   aliases=("sex", "sexe", "genre"), enum=GENDER_LABELS),
    RecipientField("language", "Language", "@language", FieldType.TEXT, 20,
                   aliases=("lang", "langue")),
    RecipientField("status", "Status", "@status", FieldType.INTEGER, aliases=("statut",)),
    RecipientField("origin", "Origin", "@origin", FieldType.TEXT, 80, aliases=("source", "origine")),
    RecipientField("mobile_phone", "Mobile", "@mobilePhone", FieldType.TEXT, 32,
                   aliases=("mobile phone", "cell", "cell phone", "portable", "téléphone portable",
                            "telephone portable", "mobile number")),
    RecipientField("phone", "Phone", "@phone", FieldType.TEXT, 32,
                   aliases=("telephone", "phone number", "tel", "téléphone", "téléphone fixe")),
    RecipientField("fax", "Fax", "@fax", FieldType.TEXT, 32, aliases=("télécopie",)),
    RecipientField("comment", "Comment", "@comment", FieldType.TEXT, 4000,
                   aliases=("comments", "notes", "commentaire")),
    RecipientField("address1", "Address 1 (apartment)", "location/@address1", FieldType.TEXT, 80,
                   aliases=("apartment", "appartement")),
    RecipientField("address2", "Address 2", "location/@address2", FieldType.TEXT, 80,
                   aliases=("address line 2", "complément d'adresse")),
    RecipientField("address3", "Address 3 (Number and street)", "location/@address3", FieldType.TEXT, 80,
                   aliases=("address", "street", "adresse", "rue", "numéro et rue")),
    RecipientField("address4", "Address 4 (county)", "location/@address4", FieldType.TEXT, 80,
                   aliases=("county", "comté")),
    RecipientField("zip_code", "Zip/Postcode", "location/@zipCode", FieldType.TEXT, 20,
                   aliases=("zip", "zipcode", "postcode", "postal code", "code postal", "cp")),
    RecipientField("city", "City", "location/@city", FieldType.TEXT, 50, aliases=("town", "ville")),
    RecipientField("state_code", "State", "location/@stateCode", FieldType.TEXT, 20,
                   aliases=("state", "région", "region", "province")),
    RecipientField("country_code", "Country", "location/@countryCode", FieldType.TEXT, 2,
                   aliases=("country code", "pays", "code pays")),
    RecipientField("blacklist", "No longer contact (by any channel)", "@blackList", FieldType.BOOLEAN,
                   aliases=("denylist", "blacklist", "opt-out", "optout", "ne plus contacter")),
    RecipientField("blacklist_email", "No longer contact by email", "@blackListEmail", FieldType.BOOLEAN,
                   aliases=("email opt-out", "email denylist", "ne plus contacter par email")),
    RecipientField("blacklist_mobile", "No longer contact by SMS/MMS", "@blackListMobile", FieldType.BOOLEAN,
                   aliases=("sms opt-out", "ne plus contacter par sms")),
    RecipientField("blacklist_phone", "No longer contact by phone", "@blackListPhone", FieldType.BOOLEAN,
                   aliases=("phone opt-out", "ne plus contacter par téléphone")),
    RecipientField("blacklist_fax", "No longer contact by fax", "@blackListFax", FieldType.BOOLEAN,
                   aliases=("fax opt-out",)),
    RecipientField("blacklist_postal_mail", "No longer contact by direct mail", "@blackListPostalMail",
                   FieldType.BOOLEAN, aliases=("mail opt-out", "ne plus contacter par courrier")),
    RecipientField("created", "Creation date", "@created", FieldType.DATETIME, importable=False),
    RecipientField("last_modified", "Modification date", "@lastModified", FieldType.DATETIME,
                   importable=False),
)

FIELDS_BY_NAME: dict[str, RecipientField] = {f.name: f for f in RECIPIENT_FIELDS}

DENYLIST_FIELDS: tuple[str, ...] = tuple(f.name for f in RECIPIENT_FIELDS if f.name.startswith("blacklist"))
"""The opt-out flags. A plain import never clears one unless it is mapped (consent guard)."""

IMPORTABLE_FIELDS: tuple[RecipientField, ...] = tuple(f for f in RECIPIENT_FIELDS if f.importable)

KEY_FIELDS: tuple[str, ...] = tuple(f.name for f in RECIPIENT_FIELDS if f.key_candidate)


def field_display(name: str) -> str:
    """'Last name (@lastName)': how Campaign shows a destination path."""
    f = FIELDS_BY_NAME[name]
    return f"{f.label} ({f.xpath})"
