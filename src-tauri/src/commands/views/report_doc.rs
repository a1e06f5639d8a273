//! The report's content as the window reads it: written out field by field, so a change to the
//! core's `ReportDoc` does not change the form's contract unseen (the views' test compares them).

use desk_core::profile::{Contact, Entity};
use desk_core::report::doc::{
    Categories, Computer, CriminalActivity, Federal, Incident, Network, PersonalInfo, ReportDoc, Response, SenLink,
};
use serde::Serialize;

/// The report's content, the fields the schema (`report_schema`) names.
#[derive(Serialize)]
pub struct ReportDocView {
    entity: EntityView,
    reporting_person: ContactView,
    iso: ContactView,
    alternate: ContactView,
    incident: IncidentView,
    categories: CategoriesView,
    federal: FederalView,
    computers: Vec<ComputerView>,
    network: NetworkView,
    response: ResponseView,
    personal_info: PersonalInfoView,
    sen: SenLinkView,
}

impl From<ReportDoc> for ReportDocView {
    fn from(d: ReportDoc) -> Self {
        ReportDocView {
            entity: d.entity.into(),
            reporting_person: d.reporting_person.into(),
            iso: d.iso.into(),
            alternate: d.alternate.into(),
            incident: d.incident.into(),
            categories: d.categories.into(),
            federal: d.federal.into(),
            computers: d.computers.into_iter().map(Into::into).collect(),
            network: d.network.into(),
            response: d.response.into(),
            personal_info: d.personal_info.into(),
            sen: d.sen.into(),
        }
    }
}

#[derive(Serialize)]
pub struct EntityView {
    name: String,
    address: String,
}

impl From<Entity> for EntityView {
    fn from(d: Entity) -> Self {
        EntityView { name: d.name, address: d.address }
    }
}

#[derive(Serialize)]
pub struct ContactView {
    name: String,
    address: String,
    email: String,
    phones: Vec<String>,
}

impl From<Contact> for ContactView {
    fn from(d: Contact) -> Self {
        ContactView { name: d.name, address: d.address, email: d.email, phones: d.phones }
    }
}

#[derive(Serialize)]
pub struct IncidentView {
    description: String,
    occurred_at: Option<String>,
    occurred_unknown: bool,
    discovered_at: Option<String>,
    actions_taken: String,
    law_enforcement_sensitive: String,
}

impl From<Incident> for IncidentView {
    fn from(d: Incident) -> Self {
        IncidentView {
            description: d.description,
            occurred_at: d.occurred_at,
            occurred_unknown: d.occurred_unknown,
            discovered_at: d.discovered_at,
            actions_taken: d.actions_taken,
            law_enforcement_sensitive: d.law_enforcement_sensitive,
        }
    }
}

#[derive(Serialize)]
pub struct CategoriesView {
    loss_or_compromise: bool,
    criminal_activity: bool,
    criminal: CriminalActivityView,
    media_coverage: bool,
}

impl From<Categories> for CategoriesView {
    fn from(d: Categories) -> Self {
        CategoriesView {
            loss_or_compromise: d.loss_or_compromise,
            criminal_activity: d.criminal_activity,
            criminal: d.criminal.into(),
            media_coverage: d.media_coverage,
        }
    }
}

#[derive(Serialize)]
pub struct CriminalActivityView {
    unauthorized_access: bool,
    attacks: bool,
    inappropriate_use: bool,
    outage_over_2_hours: bool,
    theft_or_destruction: bool,
    policy_violation: bool,
}

impl From<CriminalActivity> for CriminalActivityView {
    fn from(d: CriminalActivity) -> Self {
        CriminalActivityView {
            unauthorized_access: d.unauthorized_access,
            attacks: d.attacks,
            inappropriate_use: d.inappropriate_use,
            outage_over_2_hours: d.outage_over_2_hours,
            theft_or_destruction: d.theft_or_destruction,
            policy_violation: d.policy_violation,
        }
    }
}

#[derive(Serialize)]
pub struct FederalView {
    category: String,
    cat2_ongoing_unmitigated: bool,
    cat3_widespread: bool,
    cat3_quarantined_by_av: bool,
    cat5_classified: bool,
}

impl From<Federal> for FederalView {
    fn from(d: Federal) -> Self {
        FederalView {
            category: d.category,
            cat2_ongoing_unmitigated: d.cat2_ongoing_unmitigated,
            cat3_widespread: d.cat3_widespread,
            cat3_quarantined_by_av: d.cat3_quarantined_by_av,
            cat5_classified: d.cat5_classified,
        }
    }
}

#[derive(Serialize)]
pub struct ComputerView {
    make_model: String,
    serial_number: String,
    asset_number: String,
    ip: String,
    hostname: String,
    os: String,
    location: String,
    function: String,
    antivirus: String,
}

impl From<Computer> for ComputerView {
    fn from(d: Computer) -> Self {
        ComputerView {
            make_model: d.make_model,
            serial_number: d.serial_number,
            asset_number: d.asset_number,
            ip: d.ip,
            hostname: d.hostname,
            os: d.os,
            location: d.location,
            function: d.function,
            antivirus: d.antivirus,
        }
    }
}

#[derive(Serialize)]
pub struct NetworkView {
    source_ip: String,
    source_port: String,
    source_protocol: String,
    destination_ip: String,
    destination_port: String,
    destination_protocol: String,
}

impl From<Network> for NetworkView {
    fn from(d: Network) -> Self {
        NetworkView {
            source_ip: d.source_ip,
            source_port: d.source_port,
            source_protocol: d.source_protocol,
            destination_ip: d.destination_ip,
            destination_port: d.destination_port,
            destination_protocol: d.destination_protocol,
        }
    }
}

#[derive(Serialize)]
pub struct ResponseView {
    detection_method: String,
    impact: String,
    resolution: String,
}

impl From<Response> for ResponseView {
    fn from(d: Response) -> Self {
        ResponseView { detection_method: d.detection_method, impact: d.impact, resolution: d.resolution }
    }
}

#[derive(Serialize)]
pub struct PersonalInfoView {
    involved: String,
    types: String,
    residents_to_notify: String,
}

impl From<PersonalInfo> for PersonalInfoView {
    fn from(d: PersonalInfo) -> Self {
        PersonalInfoView { involved: d.involved, types: d.types, residents_to_notify: d.residents_to_notify }
    }
}

#[derive(Serialize)]
pub struct SenLinkView {
    sen_number: String,
}

impl From<SenLink> for SenLinkView {
    fn from(d: SenLink) -> Self {
        SenLinkView { sen_number: d.sen_number }
    }
}
