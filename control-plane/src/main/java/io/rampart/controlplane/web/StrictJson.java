package io.rampart.controlplane.web;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Request bodies that give a member twice are refused. RFC 8259 only says names "SHOULD be unique", and
 * without this Jackson hands a record's constructor both values, which failed outside every exception
 * mapper (a 500 with an empty body); now the parser stops at the second one with "Duplicate field
 * 'name'", which {@link ProblemDetails} answers with a 400 naming the member.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
    }
}
