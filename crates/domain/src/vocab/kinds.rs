//! What something is: kinds of loans, documents, guarantees, services and channels.

use crate::named::named_enum;

named_enum! {
    /// A person's gender, as registered (`person.gender`).
    pub enum Gender {
        /// Female; a female head of household is a priority factor.
        Female => "female",
        /// Male.
        Male => "male",
    }
}

named_enum! {
    /// The kinds of loan a program may offer (`program_loan_type.loan_type`,
    /// `application.loan_type`).
    pub enum LoanType {
        /// A loan to start or grow the applicant's own business (self-employment).
        SelfEmployment => "self_employment",
        /// A loan for a business run from home (household business).
        HouseholdBusiness => "household_business",
        /// A loan to an employer who hires beneficiaries (per job created).
        Employer => "employer",
    }
}

named_enum! {
    /// The groups a program may be open to (SPEC §2; the program's `eligible_groups`).
    pub enum EligibleGroup {
        /// Supported beneficiaries of the agency.
        Supported => "supported",
        /// Applicants on the agency's waiting list.
        WaitingList => "waiting_list",
        /// Members of supported beneficiaries' households.
        HouseholdMember => "household_member",
        /// Households in income deciles 1 to 5.
        Decile1To5 => "decile_1_5",
        /// Employers who hire beneficiaries.
        Employer => "employer",
    }
}

named_enum! {
    /// The kinds of document a file may hold and a program may require (`document.kind`, the
    /// program's `required_documents`).
    pub enum DocumentKind {
        /// National ID card.
        NationalCard => "national_card",
        /// Birth certificate.
        BirthCertificate => "birth_certificate",
        /// Business plan.
        BusinessPlan => "business_plan",
        /// Skill certificate.
        SkillCertificate => "skill_certificate",
        /// Proof of residence.
        ResidenceProof => "residence_proof",
        /// Proof of income.
        IncomeProof => "income_proof",
        /// The guarantor's documents.
        GuarantorDocuments => "guarantor_documents",
        /// Photo.
        Photo => "photo",
    }
}

named_enum! {
    /// The kinds of guarantee a bank may ask for (`guarantee.kind`).
    pub enum GuaranteeKind {
        /// A guarantor (a person, identified by national ID).
        Guarantor => "guarantor",
        /// A promissory note.
        PromissoryNote => "promissory_note",
        /// Deduction from a salary.
        SalaryDeduction => "salary_deduction",
        /// A collateral (mortgage) deed.
        CollateralDeed => "collateral_deed",
        /// A cheque.
        Cheque => "cheque",
        /// An institution's undertaking.
        Institution => "institution",
    }
}

named_enum! {
    /// The kinds of technical and expert service provided to a business from counselling on
    /// (`expert_service.kind`).
    pub enum ServiceKind {
        /// Technical advice.
        TechnicalAdvice => "technical_advice",
        /// Training.
        Training => "training",
        /// Marketing.
        Marketing => "marketing",
        /// Licensing.
        Licensing => "licensing",
        /// Financial advice.
        FinancialAdvice => "financial_advice",
        /// Equipment.
        Equipment => "equipment",
        /// Any other service.
        Other => "other",
    }
}

named_enum! {
    /// The business sectors a plan is classified in (`application.sector`, `plan_review.sector`;
    /// a program offers all or some of them in its `sectors`). Reports count files by sector.
    pub enum Sector {
        /// Farming and horticulture (کشاورزی).
        Agriculture => "agriculture",
        /// Livestock and poultry (دامداری و طیور).
        Livestock => "livestock",
        /// Handicrafts (صنایع دستی).
        Handicrafts => "handicrafts",
        /// A business run from home (مشاغل خانگی).
        HomeBusiness => "home_business",
        /// Services (خدمات).
        Services => "services",
        /// Industry and manufacturing (صنعت و تولید).
        Industry => "industry",
        /// Trade and retail (بازرگانی و فروش).
        Trade => "trade",
        /// Tourism (گردشگری).
        Tourism => "tourism",
        /// Anything else (سایر).
        Other => "other",
    }
}

named_enum! {
    /// How an application was registered (`application.channel`).
    pub enum ApplicationChannel {
        /// Online, by the applicant on the portal.
        Web => "web",
        /// At a service desk, by a desk clerk.
        Desk => "desk",
        /// Through the JSON API, by a partner gateway.
        Api => "api",
    }
}

named_enum! {
    /// How a repayment reached the service (`payment.channel`).
    pub enum PaymentChannel {
        /// Posted by the bank through the JSON API.
        Api => "api",
        /// Imported from a bank's payment file.
        File => "file",
        /// Entered at a desk.
        Desk => "desk",
    }
}

named_enum! {
    /// Who performed a step in the file's history (`application_event.actor_kind`).
    pub enum ActorKind {
        /// A staff account.
        Staff => "staff",
        /// The applicant.
        Applicant => "applicant",
        /// The service itself: automatic transitions and close of business.
        System => "system",
    }
}

named_enum! {
    /// The kinds of official holiday in the calendar (`holiday.kind`).
    pub enum HolidayKind {
        /// A fixed date of the Solar Hijri calendar.
        Solar => "solar",
        /// A date of the lunar Hijri calendar, moving every solar year.
        Lunar => "lunar",
        /// Any other closure.
        Other => "other",
    }
}
