package io.aviary.xep0363;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Files in an S3-compatible bucket (the cluster's store: every upload instance sees every file). The object key is
 * the {@link FileKey}; its Content-Type is the uploaded type and its Last-Modified the time it was stored, so no
 * metadata lives anywhere else. The client uses path-style addressing, which MinIO, Ceph and S3Proxy expect.
 */
public final class S3FileStore implements FileStore, AutoCloseable {

    private final S3Client s3;
    private final String bucket;

    public S3FileStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** A client for {@code settings}: its endpoint and region, static credentials when given, path-style. */
    public static S3FileStore of(UploadProperties.S3 settings) {
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(settings.region()))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                // Checksums only where S3 demands them: the SDK's default trailing CRC32 (aws-chunked uploads) is not
                // understood by many S3-compatible servers (S3Proxy, older MinIO and Ceph).
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(settings.accessKey() == null ? DefaultCredentialsProvider.builder().build()
                        : StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return new S3FileStore(builder.build(), settings.bucket());
    }

    @Override
    public void put(FileKey key, long size, String contentType, InputStream content) throws IOException {
        if (stat(key).isPresent()) {
            throw new FileAlreadyExistsException(key.toString());
        }
        try {
            s3.putObject(b -> b.bucket(bucket).key(key.toString()).contentType(contentType).contentLength(size),
                    RequestBody.fromInputStream(content, size));
            if (content.read() >= 0) {
                delete(key);
                throw new IOException(key + ": the content is longer than " + size + " bytes");
            }
        } catch (SdkException | IllegalStateException e) {
            // IllegalStateException: the SDK's word for a stream shorter than its length; S3 stored nothing.
            throw new IOException("S3 put of " + key + " failed", e);
        }
    }

    @Override
    public Optional<StoredFile> stat(FileKey key) throws IOException {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key.toString()));
            return Optional.of(new StoredFile(key, head.contentLength(), head.contentType(), head.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IOException("S3 head of " + key + " failed", e);
        } catch (SdkException e) {
            throw new IOException("S3 head of " + key + " failed", e);
        }
    }

    @Override
    public Optional<Download> get(FileKey key) throws IOException {
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key.toString()));
            GetObjectResponse response = in.response();
            return Optional.of(new Download(new StoredFile(key, response.contentLength(), response.contentType(),
                    response.lastModified()), in));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IOException("S3 get of " + key + " failed", e);
        }
    }

    @Override
    public void delete(FileKey key) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key.toString()));
        } catch (SdkException e) {
            throw new IOException("S3 delete of " + key + " failed", e);
        }
    }

    @Override
    public List<StoredFile> list(String owner) throws IOException {
        return objects(owner + "/").stream().flatMap(o -> FileKey.parse(o.key())
                .map(k -> new StoredFile(k, o.size(), null, o.lastModified())).stream()).toList();
    }

    @Override
    public int deleteOlderThan(Instant cutoff) throws IOException {
        int deleted = 0;
        for (S3Object object : objects("")) {
            if (object.lastModified().isBefore(cutoff)) {
                var key = FileKey.parse(object.key());
                if (key.isPresent()) {
                    delete(key.get());
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private List<S3Object> objects(String prefix) throws IOException {
        try {
            return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().toList();
        } catch (SdkException e) {
            throw new IOException("S3 list of " + bucket + "/" + prefix + " failed", e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
