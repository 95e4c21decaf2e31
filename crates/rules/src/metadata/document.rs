use assay_core::{Instructions, Location, Parameter, Prompt, Resource, SurfaceKind, Tool};

/// One labelled piece of a [`SurfaceDocument`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocField {
    /// What the field is, e.g. `description` or `parameter "path" description`.
    pub label: String,
    /// The text.
    pub text: String,
}

/// All the text of one tool, prompt, resource or instructions block, as one document.
///
/// `text` is the fields joined by blank lines, so patterns can match across fields;
/// [`SurfaceDocument::field_at`] maps a match back to the field it starts in.
#[derive(Debug, Clone)]
pub struct SurfaceDocument<'a> {
    /// What kind of item this is.
    pub kind: SurfaceKind,
    /// The item's name.
    pub name: &'a str,
    /// Where the item is declared.
    pub location: &'a Location,
    /// The labelled fields, in order.
    pub fields: Vec<DocField>,
    /// The fields joined with `"\n\n"`.
    pub text: String,
    starts: Vec<usize>,
}

impl<'a> SurfaceDocument<'a> {
    fn new(
        kind: SurfaceKind,
        name: &'a str,
        location: &'a Location,
        fields: Vec<DocField>,
    ) -> Self {
        let fields: Vec<DocField> = fields.into_iter().filter(|f| !f.text.is_empty()).collect();
        let mut text = String::new();
        let mut starts = Vec::with_capacity(fields.len());
        for field in &fields {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            starts.push(text.len());
            text.push_str(&field.text);
        }
        SurfaceDocument {
            kind,
            name,
            location,
            fields,
            text,
            starts,
        }
    }

    /// The document of a tool: name, description, annotation title, and each parameter's
    /// description, default and enum values.
    pub fn from_tool(tool: &'a Tool) -> Self {
        let mut fields = Vec::new();
        push(&mut fields, "description", tool.description.as_deref());
        push(
            &mut fields,
            "annotations title",
            tool.annotations.title.as_deref(),
        );
        parameter_fields(&mut fields, "parameter", &tool.parameters);
        SurfaceDocument::new(SurfaceKind::Tool, &tool.name, &tool.location, fields)
    }

    /// The document of a prompt: description, arguments and template.
    pub fn from_prompt(prompt: &'a Prompt) -> Self {
        let mut fields = Vec::new();
        push(&mut fields, "description", prompt.description.as_deref());
        parameter_fields(&mut fields, "argument", &prompt.arguments);
        push(&mut fields, "template", prompt.template.as_deref());
        SurfaceDocument::new(SurfaceKind::Prompt, &prompt.name, &prompt.location, fields)
    }

    /// The document of a resource: description and URI.
    pub fn from_resource(resource: &'a Resource) -> Self {
        let mut fields = Vec::new();
        push(&mut fields, "description", resource.description.as_deref());
        push(&mut fields, "uri", resource.uri.as_deref());
        SurfaceDocument::new(
            SurfaceKind::Resource,
            &resource.name,
            &resource.location,
            fields,
        )
    }

    /// The document of server instructions.
    pub fn from_instructions(instructions: &'a Instructions) -> Self {
        let fields = vec![DocField {
            label: "server instructions".to_string(),
            text: instructions.text.clone(),
        }];
        SurfaceDocument::new(
            SurfaceKind::Instructions,
            "server instructions",
            &instructions.location,
            fields,
        )
    }

    /// A free-standing document made of one description (used by tests and examples).
    pub fn from_text(name: &'a str, location: &'a Location, text: &str) -> Self {
        let fields = vec![DocField {
            label: "description".to_string(),
            text: text.to_string(),
        }];
        SurfaceDocument::new(SurfaceKind::Tool, name, location, fields)
    }

    /// The field in which byte `offset` of [`SurfaceDocument::text`] lies.
    pub fn field_at(&self, offset: usize) -> Option<&DocField> {
        let index = self.starts.partition_point(|&start| start <= offset);
        index.checked_sub(1).and_then(|i| self.fields.get(i))
    }

    /// The tool name to put on findings (`None` for server instructions).
    pub fn tool_name(&self) -> Option<String> {
        (self.kind != SurfaceKind::Instructions).then(|| self.name.to_string())
    }
}

fn push(fields: &mut Vec<DocField>, label: &str, text: Option<&str>) {
    if let Some(text) = text {
        fields.push(DocField {
            label: label.to_string(),
            text: text.to_string(),
        });
    }
}

fn parameter_fields(fields: &mut Vec<DocField>, what: &str, params: &[Parameter]) {
    for param in params {
        let name = &param.name;
        push(
            fields,
            &format!("{what} \"{name}\" description"),
            param.description.as_deref(),
        );
        push(
            fields,
            &format!("{what} \"{name}\" default"),
            param.default.as_deref(),
        );
        if !param.enum_values.is_empty() {
            push(
                fields,
                &format!("{what} \"{name}\" enum"),
                Some(&param.enum_values.join(", ")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_fields_and_maps_offsets_back() {
        let tool = Tool {
            name: "read".into(),
            description: Some("Reads a file.".into()),
            parameters: vec![Parameter {
                name: "path".into(),
                description: Some("Path to read".into()),
                default: Some("~/.ssh/id_rsa".into()),
                ..Parameter::default()
            }],
            annotations: Default::default(),
            sdk: "ts-sdk".into(),
            location: Location::point("a.ts", 1, 1),
            handler: None,
        };
        let doc = SurfaceDocument::from_tool(&tool);
        assert_eq!(doc.text, "Reads a file.\n\nPath to read\n\n~/.ssh/id_rsa");
        let at = doc.text.find("~/.ssh").unwrap();
        assert_eq!(
            doc.field_at(at).unwrap().label,
            "parameter \"path\" default"
        );
        assert_eq!(doc.field_at(0).unwrap().label, "description");
        assert_eq!(doc.tool_name().as_deref(), Some("read"));
    }
}
